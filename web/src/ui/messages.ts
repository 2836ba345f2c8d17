/**
 * The two message areas: an assertive alert for problems (with a way to dismiss it) and a polite
 * status line for progress. Screen readers announce both.
 */
import { byId } from './dom.js';

export class Messages {
  private readonly alertBox = byId('alert');
  private readonly alertText = byId('alert-text');
  private readonly status = byId('status');

  constructor() {
    byId<HTMLButtonElement>('alert-dismiss').addEventListener('click', () => this.clearAlert());
  }

  alert(message: string, kind: 'error' | 'info' = 'error') {
    this.alertText.textContent = message;
    this.alertBox.dataset.kind = kind;
    this.alertBox.hidden = false;
  }

  clearAlert() {
    this.alertBox.hidden = true;
    this.alertText.textContent = '';
  }

  info(message: string) {
    this.status.textContent = message;
  }
}
