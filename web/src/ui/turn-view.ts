/**
 * Live view of one turn: what was heard (partial, then final), the route, the reply, and the
 * pipeline events with their t_ms, closed by the run-end timings.
 */
import type { TurnEvent } from '../voice-link.js';
import { byId, el } from './dom.js';

const TIMING_LABELS: Array<[string, string]> = [
  ['stt_ms', 'Speech to text'],
  ['graph_ms', 'Thinking'],
  ['tts_first_byte_ms', 'First audio'],
  ['total_ms', 'Total'],
];

export class TurnView {
  private readonly transcript = byId('transcript');
  private readonly route = byId('route');
  private readonly reply = byId('reply');
  private readonly problem = byId('turn-problem');
  private readonly timeline = byId('timeline');
  private readonly timings = byId('timings');
  private turnId: string | null = null;
  private lastPartial: HTMLLIElement | null = null;

  /** Clears the view for a new turn. */
  begin(turnId: string | null, source: 'voice' | 'typed') {
    this.turnId = turnId;
    this.transcript.textContent = '';
    this.transcript.className = 'transcript';
    this.route.textContent = '—';
    this.reply.textContent = '';
    this.problem.hidden = true;
    this.problem.textContent = '';
    this.timeline.replaceChildren();
    this.timings.replaceChildren();
    this.timings.hidden = true;
    this.lastPartial = null;
    byId('turn').dataset.source = source;
  }

  heard(text: string, final: boolean) {
    this.transcript.textContent = text || (final ? '(nothing recognised)' : '');
    this.transcript.className = final ? 'transcript final' : 'transcript partial';
  }

  answered(route: string, reply: string) {
    this.route.textContent = route;
    this.reply.textContent = reply;
  }

  fail(message: string) {
    this.problem.textContent = message;
    this.problem.hidden = false;
  }

  /** One line per pipeline event; a run of partial transcripts shares a line. */
  event(ev: TurnEvent) {
    if (ev.event === 'run-start' || (this.turnId === null && ev.turn_id)) this.turnId = ev.turn_id;
    const detail = describe(ev);
    if (ev.event === 'stt-partial' && this.lastPartial) {
      this.lastPartial.querySelector('.t')!.textContent = `${ev.t_ms} ms`;
      this.lastPartial.querySelector('.d')!.textContent = detail;
      return;
    }
    const li = el('li', { 'data-event': ev.event }, el('span', { class: 't' }, `${ev.t_ms} ms`), ' ', el('span', { class: 'e' }, ev.event), ' ', el('span', { class: 'd' }, detail));
    this.lastPartial = ev.event === 'stt-partial' ? li : null;
    this.timeline.append(li);
    if (ev.event === 'run-end') this.showTimings(ev.data.timings as Record<string, number | null> | undefined);
  }

  note(label: string, detail: string) {
    this.timeline.append(el('li', { 'data-event': label }, el('span', { class: 't' }, ''), ' ', el('span', { class: 'e' }, label), ' ', el('span', { class: 'd' }, detail)));
  }

  showTimings(timings: Record<string, number | null> | undefined) {
    if (!timings) return;
    const rows = TIMING_LABELS.map(([key, label]) => el('div', {}, el('dt', {}, label), el('dd', { 'data-timing': key }, timings[key] == null ? '—' : `${Math.round(timings[key]!)} ms`)));
    this.timings.replaceChildren(...rows);
    this.timings.hidden = false;
  }
}

function describe(ev: TurnEvent): string {
  const d = ev.data ?? {};
  switch (ev.event) {
    case 'stt-partial':
    case 'stt-end':
      return typeof d.text === 'string' ? `“${d.text}”` : '';
    case 'intent-end':
      return `route ${String(d.route ?? '?')}`;
    case 'vad-end':
      return d.reason ? `(${String(d.reason)})` : '';
    case 'tts-end':
      return d.interrupted ? 'interrupted' : '';
    case 'error':
      return String(d.message ?? d.code ?? 'error');
    case 'run-end': {
      const t = d.timings as Record<string, number | null> | undefined;
      return t ? `total ${t.total_ms} ms` : '';
    }
    default:
      return '';
  }
}
