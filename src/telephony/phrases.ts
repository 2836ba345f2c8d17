/** What the phone line says on its own (everything else comes from the assistant). */
export type PhoneLang = 'en' | 'hi';

const EN = {
  greeting: 'Hello {name}, this is Podd. How can I help you?',
  greeting_anonymous: 'Hello, this is Podd. How can I help you?',
  reminder_intro: 'Hello {name}, this is Podd with a reminder.',
  reminder_question: 'Have you taken it? Say yes, I took it, and I will note it.',
  nothing_to_repeat: 'I have not said anything yet. How can I help you?',
  no_unread: 'You have no unread reminders.',
  unread_count: 'You have {count} unread reminders.',
  unread_one: 'You have one unread reminder.',
  dose_logged: 'Thank you. I have noted that you took {name}.',
  dose_declined: 'All right. Please take it when you can, and tell me when you have.',
  unknown_caller: 'Sorry, this number is not registered with Podd. Please add it to your profile in the app, then call again. Goodbye.',
  your_medicine: 'your medicine',
};

const HI: typeof EN = {
  greeting: 'नमस्ते {name}, मैं Podd हूँ। बताइए, मैं आपकी क्या मदद करूँ?',
  greeting_anonymous: 'नमस्ते, मैं Podd हूँ। बताइए, मैं आपकी क्या मदद करूँ?',
  reminder_intro: 'नमस्ते {name}, मैं Podd हूँ, एक रिमाइंडर के लिए फ़ोन किया है।',
  reminder_question: 'क्या आपने ले ली? हाँ कहिए, मैं नोट कर लूँगा।',
  nothing_to_repeat: 'मैंने अभी तक कुछ नहीं कहा। बताइए, मैं क्या मदद करूँ?',
  no_unread: 'आपके कोई बिना पढ़े रिमाइंडर नहीं हैं।',
  unread_count: 'आपके {count} बिना पढ़े रिमाइंडर हैं।',
  unread_one: 'आपका एक बिना पढ़ा रिमाइंडर है।',
  dose_logged: 'धन्यवाद। मैंने नोट कर लिया कि आपने {name} ले ली।',
  dose_declined: 'ठीक है। जब ले लें, तब मुझे बता दीजिए।',
  unknown_caller: 'माफ़ कीजिए, यह नंबर Podd में दर्ज नहीं है। ऐप में अपनी प्रोफ़ाइल में नंबर जोड़कर फिर से फ़ोन करें।',
  your_medicine: 'दवा',
};

export type PhraseKey = keyof typeof EN;

export function phoneLang(locale: unknown): PhoneLang {
  return typeof locale === 'string' && locale.toLowerCase().startsWith('hi') ? 'hi' : 'en';
}

export const LOCALE: Record<PhoneLang, string> = { en: 'en-IN', hi: 'hi-IN' };

export function phrase(lang: PhoneLang, key: PhraseKey, values: Record<string, string | number> = {}): string {
  return (lang === 'hi' ? HI : EN)[key].replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}

/** "Asha Devi" → "Asha": a greeting and an SMS use the first name. */
export function firstName(name: unknown): string | undefined {
  if (typeof name !== 'string') return undefined;
  const first = name.trim().split(/\s+/)[0];
  return first || undefined;
}
