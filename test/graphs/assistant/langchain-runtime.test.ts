/**
 * patches/@langchain+core+*.patch: with no LangSmith tracer configured, a runnable call no longer
 * builds a disabled RunTree (uuid7, env reads, timestamps) just to carry its config through
 * AsyncLocalStorage. These pin what LangGraph and our nodes rely on from that carrier, and that a
 * call with a tracer still gets a real RunTree.
 */
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { getContextVariable, setContextVariable } from '@langchain/core/context';
import { RunnableLambda } from '@langchain/core/runnables';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import { Annotation, getConfig, START, StateGraph } from '@langchain/langgraph';
import { RunTree } from 'langsmith';
import { describe, expect, it } from 'vitest';

const State = Annotation.Root({ seen: Annotation<string> });
const currentStore = () => AsyncLocalStorageProviderSingleton.getInstance().getStore() as unknown;

describe('LangChain runnable context without tracing (patched @langchain/core)', () => {
  it('carries the config to getConfig() inside a node without building a RunTree', async () => {
    let store: unknown;
    const graph = new StateGraph(State)
      .addNode('n', () => {
        store = currentStore();
        return { seen: String(getConfig().configurable?.who) };
      })
      .addEdge(START, 'n')
      .compile();
    const out = await graph.invoke({ seen: '' }, { configurable: { who: 'user-a' } });
    expect(out.seen).toBe('user-a');
    expect(store).toBeDefined();
    expect(store).not.toBeInstanceOf(RunTree);
  });

  it('still propagates context variables into nested runnables', async () => {
    const inner = RunnableLambda.from(() => getContextVariable('turn'));
    const outer = RunnableLambda.from(async () => {
      setContextVariable('turn', 't-42');
      return inner.invoke({});
    });
    expect(await outer.invoke({})).toBe('t-42');
  });

  it('builds a real RunTree when a LangSmith tracer is among the callbacks', async () => {
    // Stands in for LangChainTracer (found by this name): the run tree it hands out is stored.
    const traced = new RunTree({ name: 'traced', tracingEnabled: false });
    class FakeTracer extends BaseCallbackHandler {
      name = 'langchain_tracer';
      getRunTreeWithTracingConfig = () => traced;
    }
    let store: unknown;
    await RunnableLambda.from(() => {
      store = currentStore();
      return 1;
    }).invoke({}, { callbacks: [new FakeTracer()] });
    expect(store).toBe(traced);
  });
});
