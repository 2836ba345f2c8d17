/**
 * The talk page: sign-in, then the talk panel and Today. Wires the modules together and keeps
 * settings (not secrets) in localStorage; the refresh token lives in sessionStorage (api.ts).
 */
import { Api, ApiError } from './api.js';
import { isLanguage, LANGUAGES } from './languages.js';
import { Talk, type Mode } from './talk.js';
import { TodayView } from './today/view.js';
import { busy, byId, el } from './ui/dom.js';
import { Messages } from './ui/messages.js';
import { ReminderPopup } from './ui/reminder-popup.js';
import { TurnView } from './ui/turn-view.js';

const PREFS_KEY = 'podd.prefs';

interface Prefs {
  mode?: Mode;
  language?: string;
  voiceProcessing?: boolean;
}

function loadPrefs(): Prefs {
  try {
    return JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Prefs;
  } catch {
    return {};
  }
}

function savePrefs(p: Prefs) {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(p));
  } catch {
    /* private mode: settings last for this visit only */
  }
}

const messages = new Messages();
const api = new Api({
  fetch: (url, init) => fetch(url, init),
  store: sessionStorage,
  onSignedOut: (message) => showSignIn(message),
});
const turnView = new TurnView();
let today: TodayView;
const popup = new ReminderPopup(api, messages, () => void today.load());
today = new TodayView(api, messages);
const talk = new Talk(api, messages, turnView, {
  onTurnDone: () => void today.load(),
  onReminder: (r) => {
    popup.show(r);
    void today.load();
  },
});

// Diagnostics for people debugging a turn (and the browser test): read-only numbers, no secrets.
Object.defineProperty(window, 'poddDebug', {
  value: Object.freeze({
    get talk() {
      return { ...talk.debug, audioState: talk.audioState, audioRate: talk.audioRate };
    },
    get refreshes() {
      return api.refreshes;
    },
  }),
});

// ── settings ────────────────────────────────────────────────────────────

const prefs = loadPrefs();
const languageSelect = byId<HTMLSelectElement>('language');
languageSelect.replaceChildren(...LANGUAGES.map((l) => el('option', { value: l.code }, l.label)));
talk.language = isLanguage(prefs.language) ? prefs.language : 'en-IN';
languageSelect.value = talk.language;
languageSelect.addEventListener('change', () => {
  prefs.language = languageSelect.value;
  savePrefs(prefs);
  talk.setLanguage(languageSelect.value);
  messages.info(`Language set to ${languageSelect.selectedOptions[0]?.textContent ?? languageSelect.value}.`);
});

const modeInputs = Array.from(document.querySelectorAll<HTMLInputElement>('input[name="mode"]'));
const initialMode: Mode = prefs.mode === 'hands-free' ? 'hands-free' : 'ptt';
for (const input of modeInputs) {
  input.checked = input.value === initialMode;
  input.addEventListener('change', () => {
    if (!input.checked) return;
    prefs.mode = input.value as Mode;
    savePrefs(prefs);
    talk.setMode(prefs.mode);
    messages.info(prefs.mode === 'ptt' ? 'Push to talk.' : 'Hands-free: just speak after tapping Talk.');
  });
}
talk.setMode(initialMode);
const voiceProcessing = byId<HTMLInputElement>('voice-processing');
voiceProcessing.checked = prefs.voiceProcessing === true;
talk.voiceProcessing = voiceProcessing.checked;
voiceProcessing.addEventListener('change', () => {
  prefs.voiceProcessing = voiceProcessing.checked;
  savePrefs(prefs);
  talk.setVoiceProcessing(voiceProcessing.checked);
});

// Browsers allow sound only after a gesture; the first one anywhere unlocks reply audio.
document.addEventListener('pointerdown', () => talk.unlockAudio(), { once: true, capture: true });
document.addEventListener('keydown', () => talk.unlockAudio(), { once: true, capture: true });

// ── sign in / register ─────────────────────────────────────────────────

const authForm = byId<HTMLFormElement>('auth-form');
const authError = byId('auth-error');
const authSubmit = byId<HTMLButtonElement>('auth-submit');
let registering = false;

function setAuthMode(register: boolean) {
  registering = register;
  byId('auth-title').textContent = register ? 'Create your account' : 'Sign in';
  byId('name-field').hidden = !register;
  byId<HTMLInputElement>('name').required = register;
  byId<HTMLInputElement>('password').autocomplete = register ? 'new-password' : 'current-password';
  authSubmit.textContent = register ? 'Create account' : 'Sign in';
  byId('auth-switch').textContent = register ? 'I already have an account' : 'New here? Create an account';
  authError.hidden = true;
}

byId('auth-switch').addEventListener('click', () => setAuthMode(!registering));

authForm.addEventListener('submit', (e) => {
  e.preventDefault();
  talk.unlockAudio();
  void busy(authSubmit, async () => {
    authError.hidden = true;
    const email = byId<HTMLInputElement>('email').value.trim();
    const password = byId<HTMLInputElement>('password').value;
    const name = byId<HTMLInputElement>('name').value.trim();
    if (!email || !password || (registering && !name)) {
      showAuthError(registering ? 'Please fill in your name, email and password.' : 'Please fill in your email and password.');
      return;
    }
    try {
      if (registering) await api.register({ email, password, name });
      else await api.login({ email, password });
      byId<HTMLInputElement>('password').value = '';
      await showApp();
    } catch (err) {
      showAuthError(err instanceof ApiError ? err.friendly : 'Something went wrong. Please try again.');
    }
  });
});

function showAuthError(message: string) {
  authError.textContent = message;
  authError.hidden = false;
}

function showSignIn(message?: string) {
  talk.disconnect();
  byId('app').hidden = true;
  byId('who').hidden = true;
  byId('auth').hidden = false;
  if (message) showAuthError(message);
  byId<HTMLInputElement>('email').focus();
}

async function showApp() {
  byId('auth').hidden = true;
  byId('app').hidden = false;
  byId('who').hidden = false;
  byId('who-name').textContent = api.user?.name ?? '';
  messages.clearAlert();
  // The profile's language, unless this browser already chose one.
  if (!prefs.language) {
    try {
      const profile = await api.request<{ preferred_language?: string }>('GET', '/api/profile');
      if (isLanguage(profile.preferred_language)) {
        talk.language = profile.preferred_language;
        languageSelect.value = profile.preferred_language;
      }
    } catch {
      /* no profile yet (404): keep the default */
    }
  }
  talk.connect();
  void today.load();
  byId('talk').focus();
}

byId('sign-out').addEventListener('click', () => {
  void api.logout().then(() => {
    showSignIn();
    messages.info('Signed out.');
  });
});

// ── typed turns ─────────────────────────────────────────────────────────

const typeForm = byId<HTMLFormElement>('type-form');
const typeInput = byId<HTMLInputElement>('type-text');
const typeSend = byId<HTMLButtonElement>('type-send');
typeForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = typeInput.value.trim();
  if (!text) {
    typeInput.focus();
    return;
  }
  void busy(typeSend, async () => {
    if (await talk.typed(text)) typeInput.value = '';
  });
});

// ── start ───────────────────────────────────────────────────────────────

setAuthMode(false);
if (api.canResume) {
  messages.info('Signing you back in…');
  api.resume().then(showApp, (err: unknown) => {
    showSignIn(err instanceof ApiError && err.code !== 'SIGNED_OUT' ? err.friendly : undefined);
    messages.info('');
  });
} else {
  showSignIn();
}
