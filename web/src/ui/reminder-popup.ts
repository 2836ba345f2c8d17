/**
 * Reminders pushed on the socket pop up (and are spoken by the audio that follows them).
 * "Done" marks the notification read; "Later" snoozes it ten minutes. Several in a row queue.
 */
import type { Api } from '../api.js';
import { ApiError } from '../api.js';
import type { ReminderMessage } from '../voice-link.js';
import { busy, byId } from './dom.js';
import type { Messages } from './messages.js';

export class ReminderPopup {
  private readonly box = byId('reminder');
  private readonly title = byId('reminder-title');
  private readonly text = byId('reminder-message');
  private readonly done = byId<HTMLButtonElement>('reminder-done');
  private readonly later = byId<HTMLButtonElement>('reminder-later');
  private readonly queue: ReminderMessage[] = [];
  private current: ReminderMessage | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor(
    private readonly api: Api,
    private readonly messages: Messages,
    private readonly onChange: () => void,
  ) {
    this.done.addEventListener('click', () => void busy(this.done, () => this.act('read')));
    this.later.addEventListener('click', () => void busy(this.later, () => this.act('snooze')));
    this.box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.next();
    });
  }

  show(r: ReminderMessage) {
    if (this.current) {
      this.queue.push(r);
      return;
    }
    this.current = r;
    this.title.textContent = r.title;
    this.text.textContent = r.message;
    this.box.dataset.notificationId = r.notification_id;
    if (this.box.hidden) this.returnFocus = document.activeElement as HTMLElement | null;
    this.box.hidden = false;
    this.done.focus();
  }

  private async act(kind: 'read' | 'snooze') {
    const r = this.current;
    if (!r) return;
    try {
      if (kind === 'read') await this.api.request('POST', `/api/notifications/${encodeURIComponent(r.notification_id)}/read`);
      else await this.api.request('POST', `/api/notifications/${encodeURIComponent(r.notification_id)}/snooze`, { minutes: 10 });
      this.messages.info(kind === 'read' ? `“${r.title}” done.` : `I will remind you about “${r.title}” again in 10 minutes.`);
      this.next();
      this.onChange();
    } catch (err) {
      this.messages.alert(`That reminder could not be updated: ${err instanceof ApiError ? err.friendly : 'please try again.'}`);
    }
  }

  private next() {
    this.current = null;
    const r = this.queue.shift();
    if (r) return this.show(r);
    this.box.hidden = true;
    this.returnFocus?.focus();
    this.returnFocus = null;
  }
}
