/**
 * The "Today" panel: food and water totals, latest BP and sugar with 7-day charts, medicines due
 * (with a "taken" button) and upcoming reminders. Each part loads on its own, so one failing list
 * shows its own message while the rest still render.
 */
import type { Api } from '../api.js';
import { ApiError } from '../api.js';
import { busy, byId, el, formatDayTime, svg } from '../ui/dom.js';
import type { Messages } from '../ui/messages.js';
import { lineChart, niceRange, type SeriesIn } from './chart.js';
import {
  dayTotals,
  latestVitals,
  startOfLocalDay,
  takenBody,
  upcomingReminders,
  vitalsSeries,
  type AlarmRecord,
  type DueDose,
  type FoodRecord,
  type VitalsRecord,
  type WaterRecord,
} from './model.js';

interface Page<T> {
  items: T[];
}

const problem = (err: unknown) => (err instanceof ApiError ? err.friendly : 'Could not load this.');

export class TodayView {
  private loading: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly api: Api,
    private readonly messages: Messages,
  ) {
    const refresh = byId<HTMLButtonElement>('today-refresh');
    refresh.addEventListener('click', () => void busy(refresh, () => this.load()));
  }

  /** Reloads everything; calls during a load coalesce into one more load. */
  load(): Promise<void> {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.loadOnce().finally(() => {
      this.loading = null;
      if (this.again) {
        this.again = false;
        void this.load();
      }
    });
    return this.loading;
  }

  private async loadOnce() {
    const now = Date.now();
    const dayStart = startOfLocalDay(now).toISOString();
    const weekStart = new Date(startOfLocalDay(now).getTime() - 6 * 86_400_000).toISOString();
    const q = (path: string, from?: string) => this.api.request<Page<unknown>>('GET', `${path}?limit=100${from ? `&from=${encodeURIComponent(from)}` : ''}`).then((p) => p.items);
    const [food, water, vitals, meds, alarms] = await Promise.allSettled([
      q('/api/food-logs', dayStart),
      q('/api/tracking/water', dayStart),
      q('/api/health/vitals', weekStart),
      // Today's doses in the person's time zone, each with its status: decided by the server.
      this.api.request<Page<unknown>>('GET', '/api/medication/today').then((p) => p.items),
      q('/api/alarms'),
    ]);
    const firstError = [food, water, vitals, meds, alarms].find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    // A signed-out session is handled by the sign-in screen, not as a panel error.
    if (firstError && (firstError.reason as ApiError)?.code === 'SIGNED_OUT') return;
    this.renderTotals(food, water);
    this.renderVitals(vitals, now);
    this.renderMeds(meds);
    this.renderUpcoming(alarms, now);
    byId('today').dataset.loadedAt = String(now);
  }

  private renderTotals(food: PromiseSettledResult<unknown[]>, water: PromiseSettledResult<unknown[]>) {
    const cal = byId('today-calories');
    const macros = byId('today-macros');
    const wat = byId('today-water');
    if (food.status === 'fulfilled') {
      const t = dayTotals(food.value as FoodRecord[], []);
      cal.textContent = `${t.calories} kcal`;
      macros.textContent = t.meals ? `${t.meals} ${t.meals === 1 ? 'meal' : 'meals'} · protein ${t.protein_g} g · carbs ${t.carbs_g} g · fat ${t.fat_g} g` : 'Nothing logged yet';
    } else {
      cal.textContent = '—';
      macros.textContent = problem(food.reason);
    }
    if (water.status === 'fulfilled') {
      const ml = dayTotals([], water.value as WaterRecord[]).water_ml;
      wat.textContent = ml >= 1000 ? `${(ml / 1000).toFixed(1)} L` : `${ml} ml`;
      byId('today-water-note').textContent = `${Math.round(ml / 250)} glasses`;
    } else {
      wat.textContent = '—';
      byId('today-water-note').textContent = problem(water.reason);
    }
  }

  private renderVitals(result: PromiseSettledResult<unknown[]>, now: number) {
    const bp = byId('today-bp');
    const bpNote = byId('today-bp-note');
    const sugar = byId('today-sugar');
    const sugarNote = byId('today-sugar-note');
    if (result.status === 'rejected') {
      bp.textContent = sugar.textContent = '—';
      bpNote.textContent = sugarNote.textContent = problem(result.reason);
      return;
    }
    const vitals = result.value as VitalsRecord[];
    const latest = latestVitals(vitals);
    bp.textContent = latest.bp ? `${latest.bp.value.systolic}/${latest.bp.value.diastolic}` : '—';
    bpNote.textContent = latest.bp ? `mmHg · ${formatDayTime(latest.bp.at, now)}` : 'No reading this week';
    sugar.textContent = latest.sugar ? `${latest.sugar.value.mg_dl}` : '—';
    sugarNote.textContent = latest.sugar ? `mg/dL${latest.sugar.value.context ? ` · ${latest.sugar.value.context.replace('_', ' ')}` : ''} · ${formatDayTime(latest.sugar.at, now)}` : 'No reading this week';
    const s = vitalsSeries(vitals, now);
    // Whole days on the x axis: today's column ends at midnight, not at this minute.
    const to = startOfLocalDay(now).getTime() + 86_400_000;
    this.chart('chart-bp', 'Blood pressure, last 7 days', [
      { name: 'systolic', points: s.systolic },
      { name: 'diastolic', points: s.diastolic },
    ], s.from, to, niceRange([...s.systolic, ...s.diastolic].map((p) => p.v), [60, 160], 20), 20);
    this.chart('chart-sugar', 'Blood sugar, last 7 days', [{ name: 'sugar', points: s.sugar }], s.from, to, niceRange(s.sugar.map((p) => p.v), [70, 180], 30), 30);
  }

  private chart(id: string, title: string, series: SeriesIn[], from: number, to: number, yRange: [number, number], yStep: number) {
    const g = lineChart({ series, from, to, yRange, yStep });
    const count = series.reduce((n, s) => n + s.points.length, 0);
    const summary = count ? `${title}: ${series.map((s) => `${s.name} ${s.points.map((p) => p.v).join(', ')}`).join('; ')}` : `${title}: no readings`;
    const root = svg('svg', { viewBox: `0 0 ${g.width} ${g.height}`, role: 'img', 'aria-label': summary, class: 'chart', 'data-points': count },
      svg('title', {}, summary),
      ...g.yTicks.map((t) => svg('g', { class: 'tick' }, svg('line', { x1: g.plot.left, x2: g.plot.right, y1: t.y, y2: t.y }), svg('text', { x: g.plot.left - 6, y: t.y + 4, 'text-anchor': 'end' }, t.label))),
      ...g.xTicks.map((t) => svg('text', { class: 'xlabel', x: t.x, y: g.height - 6, 'text-anchor': 'middle' }, t.label)),
      ...g.series.map((s) => svg('g', { class: `series ${s.name}` },
        s.path ? svg('path', { d: s.path }) : null,
        ...s.dots.map((d) => svg('circle', { cx: d.x, cy: d.y, r: 4 }, svg('title', {}, `${s.name} ${d.v} · ${formatDayTime(d.t)}`))),
      )),
    );
    byId(id).replaceChildren(root);
  }

  private renderMeds(meds: PromiseSettledResult<unknown[]>) {
    const list = byId('meds');
    if (meds.status === 'rejected') {
      list.replaceChildren(el('li', { class: 'empty' }, `Medicines could not be loaded: ${problem(meds.reason)}`));
      return;
    }
    const due = meds.value as DueDose[];
    if (!due.length) {
      list.replaceChildren(el('li', { class: 'empty' }, 'No medicines due today.'));
      return;
    }
    list.replaceChildren(...due.map((d) => this.doseItem(d)));
  }

  private doseItem(d: DueDose): HTMLLIElement {
    const label = `${d.name}${d.dosage ? ` ${d.dosage}` : ''}`;
    const when = d.time ?? 'as needed';
    const li = el('li', { class: `dose ${d.status}` }, el('span', { class: 'when' }, when), ' ', el('span', { class: 'what' }, label), ' ');
    if (d.status === 'taken') {
      li.append(el('span', { class: 'done' }, '✓ Taken'));
      return li;
    }
    const button = el('button', { type: 'button', class: 'taken', 'aria-label': `Mark ${label} (${when}) as taken` }, 'Taken');
    button.addEventListener('click', () =>
      void busy(button, async () => {
        try {
          await this.api.request('POST', '/api/medication/logs', takenBody(d, Date.now()));
          this.messages.info(`${label} marked as taken.`);
          await this.load();
        } catch (err) {
          // Logged meanwhile (by voice, a phone call, another device): one dose is one dose.
          if (err instanceof ApiError && err.code === 'CONFLICT') {
            this.messages.info(`${label} (${when}) was already marked as taken.`);
            await this.load();
            return;
          }
          this.messages.alert(`Could not save that ${label} was taken: ${problem(err)}`);
        }
      }),
    );
    li.append(button);
    return li;
  }

  private renderUpcoming(alarms: PromiseSettledResult<unknown[]>, now: number) {
    const list = byId('upcoming');
    if (alarms.status === 'rejected') {
      list.replaceChildren(el('li', { class: 'empty' }, `Reminders could not be loaded: ${problem(alarms.reason)}`));
      return;
    }
    const next = upcomingReminders(alarms.value as AlarmRecord[], now);
    list.replaceChildren(...(next.length ? next.map((u) => el('li', {}, el('span', { class: 'when' }, formatDayTime(u.at, now)), ' ', el('span', { class: 'what' }, u.title))) : [el('li', { class: 'empty' }, 'No reminders in the next 7 days.')]));
  }
}

