/**
 * Podd's side of a phone call, on the line a MediaBridge gives it. The stream is nobody's until
 * its `start` presents a valid call token; then the caller's profile gives the language and the
 * name to greet, and a VoiceSession holds the conversation exactly as on the speaker (VAD, STT,
 * assistant, TTS, barge-in). On its own the call greets (and speaks the reminders nobody heard),
 * or, when it was placed for a reminder, speaks that reminder and asks whether it was taken (the
 * answer is the assistant's, as after a reminder on the speaker); keys 0 and 9 repeat the last thing
 * said and read the unread reminders. What has been played marks reminders delivered or read.
 */
import type { HealthService } from '../health/service.js';
import type { NotificationItem } from '../reminders/delivery.js';
import type { HealthItem } from '../locusgraph/health.js';
import type { AssistantPort, AssistantReply } from '../../graphs/assistant/port.js';
import { langOf, LOCALE, type Lang } from '../../prompts/lang.js';
import { phrase } from '../../prompts/phone.js';
import { isUnheard, spokenReminder, type ReminderDelivery } from '../reminders/delivery.js';
import type { SttProvider, TtsProvider } from '../voice/providers/types.js';
import type { VoiceSessions } from '../voice/registry.js';
import { VoiceSession, type SpokenTurn, type VoiceSessionOptions } from '../voice/session.js';
import type { AfterPlayed, CallHandler, CallLine, Log } from './bridge.js';
import { firstName } from '../health/people.js';
import type { ProviderName } from './protocols.js';
import type { CallGrant, CallTokens } from './store.js';

export interface CallDeps {
  health: HealthService;
  tokens: CallTokens;
  stt: SttProvider;
  tts: TtsProvider;
  assistant: AssistantPort;
  sessions: VoiceSessions;
  /** Marks reminders delivered once their audio has played; finds the unheard ones. */
  delivery: ReminderDelivery;
  /** The account name, when the profile has none (greeting by name). */
  accountName?: (userId: string) => string | undefined;
  defaultLanguage: string;
  session?: Partial<VoiceSessionOptions>;
  now?: () => number;
}

export class CallScript implements CallHandler {
  private call?: { provider: ProviderName; callId: string };
  private grant: CallGrant | null = null;
  private session?: VoiceSession;
  private lang: Lang = 'en';
  private name?: string;
  /**
   * A reminder call: what it speaks, the notifications marked delivered once it has played, and
   * the one a spoken answer ("yes", "remind me in 10 minutes") answers.
   */
  private reminder?: { text: string; ids: string[]; answers?: string };
  /** What to do once the announcement being spoken has played (taken when its audio is all sent). */
  private announcing?: AfterPlayed;
  /** What the caller heard last, for key 0. */
  private lastSpoken?: { text: string; language: string };
  private readonly now: () => number;

  constructor(
    private readonly deps: CallDeps,
    private readonly log: Log,
  ) {
    this.now = deps.now ?? Date.now;
  }

  admit(start: { provider: ProviderName; callId: string; token: string | undefined }): boolean {
    this.call = { provider: start.provider, callId: start.callId };
    // Redeeming consumes the token: a replayed start (or a second stream) finds it used.
    this.grant = this.deps.tokens.redeem(start.token);
    return this.grant !== null;
  }

  async open(line: CallLine, current: () => boolean): Promise<VoiceSession | undefined> {
    const grant = this.grant!;
    const user = this.deps.health.forUser(grant.userId);
    let profile: HealthItem<'profile'> | null = null;
    try {
      profile = await user.get('profile', user.store.profileId);
    } catch (err) {
      this.log.warn({ err, callId: this.call?.callId }, 'could not load the caller profile');
    }
    if (!current()) return undefined; // hung up while loading
    const language = profile?.preferred_language ?? this.deps.defaultLanguage;
    this.lang = langOf(language);
    let accountName: string | undefined;
    try {
      accountName = profile?.name ? undefined : this.deps.accountName?.(grant.userId);
    } catch {
      // No account name: the greeting goes without one.
    }
    this.name = firstName(profile?.name) ?? firstName(accountName);

    if (grant.purpose === 'reminder') {
      const due = await this.dueReminders(grant);
      // The call's own reminder is the one asked about (others that fell due with it are read too).
      const answers = (due.find((n) => n.id === grant.ref) ?? due[0])?.id;
      this.reminder = { text: due.map((n) => n.message).join(' '), ids: due.map((n) => n.id), answers };
    }
    if (!current()) return undefined;

    const session = new VoiceSession({
      userId: grant.userId,
      stt: this.deps.stt,
      tts: this.deps.tts,
      assistant: this.deps.assistant,
      language,
      log: this.log,
      channel: 'phone',
      transport: line.transport,
      options: { ...line.pacing, ...this.deps.session },
      onClose: (s) => this.deps.sessions.remove(s),
      onReply: (r) => this.replied(r),
    });
    this.session = session;
    this.deps.sessions.add(session);
    this.log.info({ ...this.call, sessionId: session.id, userId: grant.userId, purpose: grant.purpose }, 'phone call started');
    return session;
  }

  async opening(): Promise<void> {
    const reminder = this.reminder;
    if (reminder?.text) {
      const intro = this.name ? phrase(this.lang, 'reminder_intro', { name: this.name }) : phrase(this.lang, 'reminder_intro_anonymous');
      const text = `${intro} ${reminder.text} ${phrase(this.lang, 'reminder_question')}`;
      await this.announce(text, () => this.markDelivered(reminder.ids), { reminder: reminder.answers });
      return;
    }
    const greeting = this.name ? phrase(this.lang, 'greeting', { name: this.name }) : phrase(this.lang, 'greeting_anonymous');
    const missed = await this.undelivered();
    void this.announce(greeting);
    // Queued behind the greeting; each is marked delivered once its audio has been played.
    for (const n of missed) this.session!.deliverReminder(spokenReminder(n));
  }

  async digit(d: string): Promise<void> {
    const session = this.session!;
    if (d === '0') {
      session.stopSpeaking();
      const last = this.lastSpoken;
      await this.announce(last?.text ?? phrase(this.lang, 'nothing_to_repeat'), undefined, { language: last?.language });
    } else if (d === '9') {
      session.stopSpeaking();
      await this.readUnread();
    }
  }

  sent(turn: SpokenTurn): AfterPlayed | undefined {
    if (turn.kind === 'reminder') return () => this.markDelivered([turn.notificationId]);
    if (turn.kind === 'reply') return undefined;
    const after = this.announcing;
    this.announcing = undefined;
    return after;
  }

  private replied(reply: AssistantReply): void {
    if (reply.reply) this.lastSpoken = { text: reply.reply, language: reply.language };
  }

  private async readUnread(): Promise<void> {
    const user = this.deps.health.forUser(this.session!.userId);
    const page = await user.list('notification', { limit: 20, from: new Date(this.now() - 24 * 3600_000).toISOString() });
    const unread = page.items.filter((n) => !n.read && !n.missed).slice(0, 5).reverse();
    if (unread.length === 0) return this.announce(phrase(this.lang, 'no_unread'));
    const head = unread.length === 1 ? phrase(this.lang, 'unread_one') : phrase(this.lang, 'unread_count', { count: unread.length });
    const text = [head, ...unread.map((n) => n.message)].join(' ');
    await this.announce(text, async () => {
      const at = new Date(this.now()).toISOString();
      for (const n of unread) await user.store.patch('notification', n.id, { read: true, read_at: at });
    });
  }

  /** Speaks a fixed text; `onPlayed` runs when the provider reports it played. `reminder`: the notification it speaks. */
  private async announce(text: string, onPlayed?: AfterPlayed, opts: { language?: string; reminder?: string } = {}): Promise<void> {
    const language = opts.language ?? LOCALE[this.lang];
    this.lastSpoken = { text, language };
    this.announcing = onPlayed;
    try {
      await this.session?.announce(text, { language, reminder: opts.reminder });
    } finally {
      this.announcing = undefined;
    }
  }

  private markDelivered(ids: string[]): Promise<void> {
    return this.deps.delivery.markDelivered(this.grant!.userId, ids);
  }

  /** Recent reminders nobody has heard yet (a call is a device too). */
  private async undelivered(): Promise<NotificationItem[]> {
    try {
      return await this.deps.delivery.unheard(this.grant!.userId);
    } catch (err) {
      this.log.warn({ err, callId: this.call?.callId }, 'could not load unheard reminders');
      return [];
    }
  }

  /** The reminder this call was placed for, plus any other unheard one of the last hour (three at most). */
  private async dueReminders(grant: CallGrant): Promise<HealthItem<'notification'>[]> {
    const user = this.deps.health.forUser(grant.userId);
    const page = await user.list('notification', { limit: 20, from: new Date(this.now() - 3600_000).toISOString() });
    const items = page.items.filter((n) => n.id === grant.ref || isUnheard(n)).reverse();
    if (grant.ref && !items.some((n) => n.id === grant.ref)) {
      const own = await user.get('notification', grant.ref);
      if (own) items.unshift(own);
    }
    return items.slice(0, 3);
  }
}
