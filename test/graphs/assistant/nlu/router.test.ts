import { describe, expect, it } from 'vitest';
import { isAllClear, normalize, understand, type NluContext, type Route } from '../../../../graphs/assistant/nlu/index.js';

const ctx: NluContext = {
  now: new Date('2025-03-10T13:15:00+05:30'),
  timeZone: 'Asia/Kolkata',
  medications: ['Metformin', 'Amlodipine'],
};
const r = (s: string) => understand(s, ctx);

describe('route: every route in English, Hinglish and Devanagari Hindi', () => {
  it.each<[string, Route]>([
    ['I had two rotis and dal for dinner', 'food'],
    ['maine do roti aur dal khayi', 'food'],
    ['मैंने दो रोटी और दाल खाई', 'food'],
    ['my BP is 140 over 90', 'log'],
    ['BP 140 by 90 hai', 'log'],
    ['मेरा बीपी 140 बाय 90 है', 'log'],
    ['drank 3 glasses of water', 'log'],
    ['teen glass paani piya', 'log'],
    ['तीन गिलास पानी पिया', 'log'],
    ['what was my BP yesterday', 'health_query'],
    ['kal kitni neend aayi', 'health_query'],
    ['कल मेरा बीपी क्या था', 'health_query'],
    ['any advice for my sugar', 'recommendation'],
    ['sugar kam karne ke liye kya karun', 'recommendation'],
    ['शुगर कम करने के लिए क्या करूं', 'recommendation'],
    ['I took my Metformin', 'medication'],
    ['dawai le li', 'medication'],
    ['दवाई ले ली', 'medication'],
    ['remind me to drink water every day at 4 pm', 'reminder'],
    ['roz subah 8 baje dawai yaad dilana', 'reminder'],
    ['रोज़ सुबह 8 बजे दवाई की याद दिलाना', 'reminder'],
    ['I have chest pain', 'emergency'],
    ['seene mein dard ho raha hai', 'emergency'],
    ['सीने में दर्द हो रहा है', 'emergency'],
    ['what can you do', 'chat'],
    ['aap kya kar sakte ho', 'chat'],
    ['तुम क्या कर सकते हो', 'chat'],
  ])('%s → %s', (input, route) => {
    expect(r(input).route).toBe(route);
  });
});

describe('emergency is never missed', () => {
  it.each([
    ['chest pain', 'chest_pain'],
    ['my chest feels very tight', 'chest_pain'],
    ['pain in my chest', 'chest_pain'],
    ['I think it is a heart attack', 'chest_pain'],
    ['dil mein dard ho raha hai', 'chest_pain'],
    ['छाती में भारीपन है', 'chest_pain'],
    ["I can't breathe", 'breathing'],
    ['having trouble breathing', 'breathing'],
    ['short of breath', 'breathing'],
    ['breathless since morning', 'breathing'],
    ['saans nahi aa rahi', 'breathing'],
    ['saans phool rahi hai', 'breathing'],
    ['सांस लेने में तकलीफ हो रही है', 'breathing'],
    ['he fainted', 'fainting'],
    ['papa behosh ho gaye', 'fainting'],
    ['दादी बेहोश हो गई', 'fainting'],
    ['she passed out', 'fainting'],
    ['his face is drooping', 'stroke'],
    ['her speech is slurred', 'stroke'],
    ['one side of my body is numb', 'stroke'],
    ['lakwa maar gaya', 'stroke'],
    ['haath pair sunn ho gaye hain ek taraf', 'stroke'],
    ['एक तरफ का हाथ सुन्न हो गया', 'stroke'],
    ['left arm is weak suddenly', 'stroke'],
    ["I can't move my right arm", 'stroke'],
    ['muh tedha ho gaya hai', 'stroke'],
    ['आवाज़ लड़खड़ा रही है', 'stroke'],
    ["I can't speak properly", 'stroke'],
    ['saans ruk rahi hai', 'breathing'],
    ['saans chadh rahi hai', 'breathing'],
    ['he is not waking up', 'fainting'],
    ['वो होश में नहीं है', 'fainting'],
    ['vomiting blood', 'bleeding'],
    ['accident ho gaya', 'general'],
    ['saap ne kaat liya', 'general'],
    ['chakkar aa raha hai', 'dizziness'],
    ['चक्कर आ रहे हैं', 'dizziness'],
    ['I feel dizzy', 'dizziness'],
    ['he is having a seizure', 'seizure'],
    ['mirgi ka daura pada', 'seizure'],
    ['bleeding a lot from the head', 'bleeding'],
    ['khoon beh raha hai', 'bleeding'],
    ['I fell down and cannot get up', 'fall'],
    ['mummy gir gayi', 'fall'],
    ['मेरे पति गिर गए', 'fall'],
    ['I want to die', 'self_harm'],
    ['jeena nahi chahta', 'self_harm'],
    ['took too many sleeping pills', 'overdose'],
    ['call an ambulance', 'general'],
    ['bachao', 'general'],
  ])('%s → %s', (input, symptom) => {
    const res = r(input);
    expect(res.route).toBe('emergency');
    if (res.route === 'emergency') expect(res.slots.symptoms).toContain(symptom);
  });

  it('wins over every other intent in the same sentence', () => {
    expect(r('remind me to take Metformin, I have chest pain').route).toBe('emergency');
    expect(r('BP 190 over 130 and my chest hurts').route).toBe('emergency');
    expect(r('sugar 40 hai aur chakkar aa raha hai').route).toBe('emergency');
    expect(r('hello Привет chest pain').route).toBe('emergency');
  });

  it('is still recognised inside an over-long message', () => {
    expect(r(`chest pain ${'please help '.repeat(1000)}`).route).toBe('emergency');
  });
});

describe('asking to reach someone is the emergency route, with whom to reach', () => {
  const withContacts: NluContext = { ...ctx, contacts: ['rahul', 'priya'] };
  it.each<[string, string | undefined]>([
    ['call my son', 'son'],
    ['please call my daughter', 'daughter'],
    ['can you call Rahul', 'rahul'],
    ['Rahul ko phone karo', 'rahul'],
    ['mere bete ko bulao', 'bete'],
    ['beti ko call karo', 'beti'],
    ['बेटे को फोन करो', 'बेटे'],
    ['inform my family', undefined],
    ['call someone', undefined],
  ])('%s → %s', (input, who) => {
    const res = understand(input, withContacts);
    expect(res.route).toBe('emergency');
    if (res.route === 'emergency') {
      expect(res.slots.symptoms).toEqual([]);
      expect(res.slots.call).toEqual(who === undefined ? {} : { who });
    }
  });

  it('keeps the symptoms when both are said', () => {
    const res = understand('I fell, call my son', withContacts);
    expect(res.route === 'emergency' && res.slots).toEqual({ symptoms: ['fall'], call: { who: 'son' } });
  });

  it.each(['remind me to call my son at 5 pm', 'did Rahul call', 'Rahul will call me', "what is my son's phone number", 'my phone is not working', 'when did my daughter call'])(
    'talk about calls is not an ask: %s',
    (input) => expect(understand(input, withContacts).route).not.toBe('emergency'),
  );

  it('a call to 112 is an emergency of its own', () => {
    const res = r('call 112');
    expect(res.route === 'emergency' && res.slots).toEqual({ symptoms: ['general'] });
  });
});

describe('an all-clear (read only right after an emergency)', () => {
  const clear = (s: string) => {
    const n = normalize(s);
    return isAllClear(n.tokens, n.text);
  };
  it.each(["I'm okay", 'I am fine now', 'it was a mistake', 'false alarm', 'never mind', "don't worry", 'galti se ho gaya', 'main theek hoon', 'sab theek hai', 'chinta mat karo', 'मैं ठीक हूँ', 'गलती से दब गया'])(
    '%s is one',
    (s) => expect(clear(s)).toBe(true),
  );
  it.each(['I am not okay', "I'm okay but the chest pain is still there", 'main theek nahi hoon', 'call my son', 'what was my BP'])('%s is not', (s) => expect(clear(s)).toBe(false));
});

describe('bad input gets chat with a flag and no slots to write', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['😀😀👍', 'emoji_only'],
    ['🙏🙏', 'emoji_only'],
    ['Привет как дела', 'unsupported_script'],
    ['你好吗', 'unsupported_script'],
    ['asdfgh qwerty zxcv', 'unintelligible'],
    ['blorp znag fwee', 'unintelligible'],
    ['x'.repeat(10_000), 'too_long'],
  ])('%j → %s', (input, flag) => {
    const res = r(input);
    expect(res.route).toBe('chat');
    expect(res.flags).toContain(flag);
    expect(res.missing).toEqual([]);
  });

  it('still understands a mixed-script sentence that makes sense', () => {
    const res = r('मेरा BP 140/90 है');
    expect(res.route).toBe('log');
    expect(res.flags).toEqual([]);
  });

  it('flags a mixed-script message it cannot use', () => {
    const res = r('hello Привет नमस्ते');
    expect(res.route).toBe('chat');
    expect(res.flags).toContain('mixed_script');
  });
});

describe('slots per route', () => {
  it('food: items, quantities, units and meal', () => {
    const res = r('lunch mein ek katori dal aur 2 roti');
    expect(res.route).toBe('food');
    if (res.route !== 'food') return;
    expect(res.slots.items).toMatchObject([{ food: 'dal', quantity: 1, unit: 'katori' }, { food: 'roti', quantity: 2 }]);
    expect(res.slots.meal_type).toBe('lunch');
  });

  it('food: the meal comes from the clock when not said', () => {
    const res = understand('2 idli', { ...ctx, now: new Date('2025-03-10T08:00:00+05:30') });
    expect(res.route === 'food' && res.slots.meal_type).toBe('breakfast');
  });

  it('log: several entries in one sentence', () => {
    const res = r('walked 30 minutes and drank 2 glasses of water');
    expect(res.route).toBe('log');
    if (res.route !== 'log') return;
    expect(res.slots.entries).toEqual(
      expect.arrayContaining([
        { kind: 'water', amount_ml: 500, glasses: 2 },
        { kind: 'exercise', exercise_type: 'walking', duration_minutes: 30 },
      ]),
    );
  });

  it('log: an out-of-range reading is invalid and asked again, never filled', () => {
    const res = r('BP 900 over 5');
    expect(res.route).toBe('log');
    expect(res.invalid.map((i) => i.slot).sort()).toEqual(['diastolic', 'systolic']);
    expect(res.missing).toEqual(['systolic', 'diastolic']);
    if (res.route === 'log') expect(res.slots.entries[0]).not.toHaveProperty('systolic');
  });

  it('health_query: metric, period, medication and the instant range', () => {
    const res = r('did I take my Metformin this morning');
    expect(res.route).toBe('health_query');
    if (res.route !== 'health_query') return;
    expect(res.slots).toMatchObject({ metric: 'medication', period: 'today', part_of_day: 'morning', medication: 'Metformin' });
    expect(res.slots.range).toEqual({ from: '2025-03-10T00:00:00+05:30', to: '2025-03-10T13:15:00+05:30' });
    const y = r('what was my BP yesterday');
    expect(y.route === 'health_query' && y.slots.range).toEqual({ from: '2025-03-09T00:00:00+05:30', to: '2025-03-10T00:00:00+05:30' });
    const w = r('show my sugar for this week');
    expect(w.route === 'health_query' && w.slots.range?.from).toBe('2025-03-10T00:00:00+05:30');
  });

  it('medication: log, skip, due and schedule', () => {
    expect(r('I took my Amlodipine').slots).toMatchObject({ intent: 'log_dose', medication: 'Amlodipine', status: 'taken' });
    expect(r('aaj subah ki dawai nahi li').slots).toMatchObject({ intent: 'log_dose', status: 'skipped', part_of_day: 'morning' });
    expect(r('I forgot my Metformin last night').slots).toMatchObject({ intent: 'log_dose', medication: 'Metformin', status: 'skipped' });
    expect(r('which medicine should I take now').slots).toMatchObject({ intent: 'query_due' });
    expect(r('what medicines am I on').slots).toMatchObject({ intent: 'list_schedule' });
  });

  it('reminder: alarm with days, one-off with a date, appointment with an offset ISO time', () => {
    expect(r('remind me to take Metformin at 9 pm on weekdays').slots).toMatchObject({
      kind: 'alarm', alarm_type: 'medication', time: '21:00', days_of_week: [1, 2, 3, 4, 5], medication: 'Metformin', title: 'Take Metformin',
    });
    expect(r('remind me to call my son tomorrow at 6 pm').slots).toMatchObject({
      kind: 'alarm', alarm_type: 'custom', time: '18:00', date: '2025-03-11', title: 'Call my son',
    });
    expect(r('doctor appointment on 5th December at 10 am').slots).toMatchObject({
      kind: 'appointment', scheduled_at: '2025-12-05T10:00:00+05:30',
    });
    expect(r('appointment with Dr. Mehta on Friday at 11 am').slots).toMatchObject({
      kind: 'appointment', doctor: 'Dr. Mehta', title: 'Appointment with Dr. Mehta', scheduled_at: '2025-03-14T11:00:00+05:30',
    });
  });

  it('reminder: asks for the missing time or date', () => {
    expect(r('remind me to drink water').missing).toEqual(['time']);
    expect(r('doctor appointment on Friday').missing).toEqual(['time']);
    expect(r('I have a doctor appointment at 10 am').missing).toEqual(['date']);
  });

  it('food: "<vegetable> ki sabzi" is one dish', () => {
    const res = r('दोपहर में दो रोटी और भिंडी की सब्जी खाई');
    expect(res.route === 'food' && res.slots.items.map((i) => i.food)).toEqual(['roti', 'bhindi']);
  });

  it('recommendation: asking what to eat or for a diet is advice, not a lookup', () => {
    expect(r('mere liye koi diet plan batao')).toMatchObject({ route: 'recommendation', slots: { topic: 'diet' } });
    expect(r('ब्लड प्रेशर के लिए क्या खाना चाहिए')).toMatchObject({ route: 'recommendation', slots: { topic: 'bp' } });
    expect(r('what should I eat for my sugar')).toMatchObject({ route: 'recommendation', slots: { topic: 'sugar' } });
  });

  it('recommendation: topic when named', () => {
    expect(r('is my BP okay?').slots).toEqual({ topic: 'bp' });
    expect(r('give me some health tips').slots).toEqual({});
  });

  it('reports the language form for the reply', () => {
    expect(r('BP 140 by 90 hai').lang).toBe('hinglish');
    expect(r('मेरा बीपी 140 बाय 90 है').lang).toBe('hi');
    expect(r('my BP is 140 over 90').lang).toBe('en');
  });

  it('falls back to the default zone for an unknown one instead of throwing', () => {
    const res = understand('remind me at 4 pm', { ...ctx, timeZone: 'Mars/Olympus_Mons' });
    expect(res.slots).toMatchObject({ time: '16:00', date: '2025-03-10' });
  });

  it('is deterministic for a fixed clock', () => {
    const a = r('remind me in 10 minutes to take my tablet');
    const b = r('remind me in 10 minutes to take my tablet');
    expect(a).toEqual(b);
    expect(a.slots).toMatchObject({ time: '13:25', date: '2025-03-10' });
  });
});
