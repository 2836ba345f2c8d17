/**
 * What every rule says, word for word, in both languages, as assembled (context words, the
 * re-check and doctor notes, plurals): moving or editing a sentence cannot change it unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { localize, recommend, type RecommendationInput, type VitalsReading } from '../../src/health/recommendations.js';

const now = new Date('2025-03-10T18:00:00+05:30');
const at = (hoursAgo: number): string => new Date(now.getTime() - hoursAgo * 3_600_000).toISOString();
const base = (over: Partial<RecommendationInput> = {}): RecommendationInput => ({ now, timeZone: 'Asia/Kolkata', ...over });
/** One reading, and enough water that the water rule stays quiet. */
const vital = (v: Omit<VitalsReading, 'logged_at'> & { logged_at?: string }, over: Partial<RecommendationInput> = {}) =>
  base({ vitals: [{ logged_at: at(1), ...v }], water: [{ amount_ml: 2000, logged_at: at(1) }], ...over });
const diabetic = { profile: { medical_conditions: ['Type 2 diabetes'] } };

type Said = { en: [title: string, message: string]; hi: [title: string, message: string] };
const CASES: [string, RecommendationInput, Said][] = [
  ['bp_crisis', vital({ blood_pressure_systolic: 190, blood_pressure_diastolic: 110 }),
    { en: ['Very high blood pressure', 'Your blood pressure of 190/110 is in the crisis range. Please seek medical care now. If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now.'],
      hi: ['बहुत ज़्यादा ब्लड प्रेशर', 'आपका ब्लड प्रेशर 190/110 बहुत ज़्यादा है। कृपया अभी डॉक्टर या अस्पताल से संपर्क करें। अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें।'] }],
  ['bp_crisis (over a day old: measure again)', vital({ blood_pressure_systolic: 190, blood_pressure_diastolic: 110, logged_at: at(48) }),
    { en: ['Very high blood pressure', 'Your blood pressure of 190/110 is in the crisis range. Please seek medical care now. If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now. That reading is more than a day old; please measure again now.'],
      hi: ['बहुत ज़्यादा ब्लड प्रेशर', 'आपका ब्लड प्रेशर 190/110 बहुत ज़्यादा है। कृपया अभी डॉक्टर या अस्पताल से संपर्क करें। अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें। यह रीडिंग एक दिन से पुरानी है; कृपया अभी दोबारा जांचें।'] }],
  ['bp_stage_2', vital({ blood_pressure_systolic: 150, blood_pressure_diastolic: 95 }),
    { en: ['High blood pressure', 'Your blood pressure of 150/95 is in the high (stage 2) range. Rest for five minutes and measure again. Consider talking to your doctor about it.'],
      hi: ['ब्लड प्रेशर ज़्यादा है', 'आपका ब्लड प्रेशर 150/95 ज़्यादा (स्टेज 2) है। पाँच मिनट आराम करके दोबारा नापें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['bp_stage_1', vital({ blood_pressure_systolic: 132, blood_pressure_diastolic: 82 }),
    { en: ['Blood pressure a little high', 'Your blood pressure of 132/82 is in the stage 1 range. Less salt, a daily walk and regular checks help. Consider talking to your doctor about it.'],
      hi: ['ब्लड प्रेशर थोड़ा ज़्यादा है', 'आपका ब्लड प्रेशर 132/82 स्टेज 1 में है। कम नमक, रोज़ टहलना और नियमित जांच मदद करते हैं। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['bp_elevated', vital({ blood_pressure_systolic: 124, blood_pressure_diastolic: 78 }),
    { en: ['Blood pressure slightly raised', 'Your blood pressure of 124/78 is slightly above normal. Less salt and regular activity can help.'],
      hi: ['ब्लड प्रेशर हल्का बढ़ा हुआ', 'आपका ब्लड प्रेशर 124/78 सामान्य से थोड़ा ऊपर है। कम नमक और नियमित व्यायाम मदद कर सकते हैं।'] }],
  ['bp_low', vital({ blood_pressure_systolic: 85, blood_pressure_diastolic: 55 }),
    { en: ['Blood pressure on the low side', 'Your blood pressure of 85/55 is low. If you feel dizzy, sit or lie down and drink some water. Consider talking to your doctor about it.'],
      hi: ['ब्लड प्रेशर कम है', 'आपका ब्लड प्रेशर 85/55 कम है। चक्कर आए तो बैठ या लेट जाएं और थोड़ा पानी पिएं। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['bp_normal', vital({ blood_pressure_systolic: 118, blood_pressure_diastolic: 76 }),
    { en: ['Blood pressure normal', 'Your blood pressure of 118/76 is in the normal range. Keep it up.'],
      hi: ['ब्लड प्रेशर सामान्य', 'आपका ब्लड प्रेशर 118/76 सामान्य है। ऐसे ही बनाए रखें।'] }],
  ['sugar_very_low', vital({ blood_sugar: 50, blood_sugar_context: 'fasting' }),
    { en: ['Very low blood sugar', 'Your blood sugar of 50 is very low. Take something sweet now, like glucose, juice or sugar in water, and check again in 15 minutes. If you feel confused or drowsy, call 112.'],
      hi: ['शुगर बहुत कम', 'आपकी शुगर 50 बहुत कम है। अभी कुछ मीठा लें, जैसे ग्लूकोज़, जूस या पानी में चीनी, और 15 मिनट बाद दोबारा जांचें। उलझन या बहुत नींद लगे तो 112 पर कॉल करें।'] }],
  ['sugar_low', vital({ blood_sugar: 65 }),
    { en: ['Low blood sugar', 'Your blood sugar of 65 is below 70. Have something sweet and check again in 15 minutes. Consider talking to your doctor about it.'],
      hi: ['शुगर कम', 'आपकी शुगर 65 है, 70 से कम। कुछ मीठा लें और 15 मिनट बाद दोबारा जांचें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['sugar_very_high', vital({ blood_sugar: 320 }),
    { en: ['Very high blood sugar', 'Your blood sugar of 320 is very high. Please contact your doctor today, and drink water. If you are vomiting, very drowsy or breathing fast, call 112.'],
      hi: ['शुगर बहुत ज़्यादा', 'आपकी शुगर 320 बहुत ज़्यादा है। आज ही डॉक्टर से संपर्क करें और पानी पीते रहें। उल्टी, बहुत नींद या तेज़ सांस हो तो 112 पर कॉल करें।'] }],
  ['sugar_high (fasting, with a doctor-set target)', vital({ blood_sugar: 160, blood_sugar_context: 'fasting' }, diabetic),
    { en: ['High blood sugar', 'Your fasting blood sugar of 160 is high. Your doctor may have set a different target for you. Consider talking to your doctor about it.'],
      hi: ['शुगर ज़्यादा', 'आपकी खाली पेट शुगर 160 ज़्यादा है। आपके डॉक्टर ने आपके लिए अलग लक्ष्य तय किया हो सकता है। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['sugar_high (after a meal)', vital({ blood_sugar: 210, blood_sugar_context: 'post_meal' }),
    { en: ['High blood sugar', 'Your after-meal blood sugar of 210 is high. Consider talking to your doctor about it.'],
      hi: ['शुगर ज़्यादा', 'आपकी खाने के बाद की शुगर 210 ज़्यादा है। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['sugar_above_normal (fasting)', vital({ blood_sugar: 110, blood_sugar_context: 'fasting' }),
    { en: ['Blood sugar above normal', 'Your fasting blood sugar of 110 is above the normal range of 70 to 99. Consider talking to your doctor about it.'],
      hi: ['शुगर सामान्य से ऊपर', 'आपकी खाली पेट शुगर 110 सामान्य सीमा 70 से 99 से ऊपर है। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['sugar_above_normal (random, with a doctor-set target)', vital({ blood_sugar: 150 }, diabetic),
    { en: ['Blood sugar above normal', 'Your blood sugar of 150 is a little above the usual range. Your doctor may have set a different target for you. Consider talking to your doctor about it.'],
      hi: ['शुगर सामान्य से ऊपर', 'आपकी शुगर 150 सामान्य से थोड़ी ऊपर है। आपके डॉक्टर ने आपके लिए अलग लक्ष्य तय किया हो सकता है। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['sugar_normal (no context word)', vital({ blood_sugar: 95 }),
    { en: ['Blood sugar in range', 'Your blood sugar of 95 is in the normal range.'],
      hi: ['शुगर सामान्य', 'आपकी शुगर 95 सामान्य है।'] }],
  ['fever', vital({ temperature: 38.2, temperature_unit: 'C' }),
    { en: ['Fever', 'Your temperature of 38.2 °C means fever. Rest, drink plenty of fluids and check again in a few hours. Consider talking to your doctor about it.'],
      hi: ['बुखार', 'आपका तापमान 38.2 °C है, यानी बुखार। आराम करें, खूब पानी पिएं और कुछ घंटे बाद फिर जांचें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['fever_high', vital({ temperature: 39.5 }),
    { en: ['High fever', 'Your temperature of 39.5 °C is a high fever. Please see a doctor today; drink fluids and rest. If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now.'],
      hi: ['तेज़ बुखार', 'आपका तापमान 39.5 °C है, यह तेज़ बुखार है। आज ही डॉक्टर को दिखाएं; पानी पिएं और आराम करें। अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें।'] }],
  ['heart_rate_low', vital({ heart_rate: 45 }),
    { en: ['Slow pulse', 'Your resting pulse of 45 is below 50. If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now. Consider talking to your doctor about it.'],
      hi: ['धीमी नब्ज़', 'आराम की हालत में आपकी नब्ज़ 45 है, 50 से कम। अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['heart_rate_high', vital({ heart_rate: 110 }),
    { en: ['Fast pulse', 'Your resting pulse of 110 is above 100. Sit quietly for a few minutes and check again. If you have chest pain, breathlessness, weakness, confusion or trouble speaking, call 112 now. Consider talking to your doctor about it.'],
      hi: ['तेज़ नब्ज़', 'आराम की हालत में आपकी नब्ज़ 110 है, 100 से ज़्यादा। कुछ मिनट शांत बैठकर दोबारा जांचें। अगर सीने में दर्द, सांस फूलना, कमजोरी, उलझन या बोलने में दिक्कत हो तो तुरंत 112 पर कॉल करें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['spo2_low', vital({ spo2: 92 }),
    { en: ['Oxygen a little low', 'Your oxygen level of 92% is below 94%. Sit upright, rest, and measure again with warm hands. Consider talking to your doctor about it.'],
      hi: ['ऑक्सीजन थोड़ा कम', 'आपका ऑक्सीजन स्तर 92% है, 94% से कम। सीधे बैठें, आराम करें और हाथ गर्म करके दोबारा नापें। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['spo2_very_low', vital({ spo2: 88 }),
    { en: ['Very low oxygen', 'Your oxygen level of 88% is very low. Please seek medical care now, or call 112 if you are breathless.'],
      hi: ['ऑक्सीजन बहुत कम', 'आपका ऑक्सीजन स्तर 88% बहुत कम है। कृपया अभी डॉक्टर से संपर्क करें, सांस फूले तो 112 पर कॉल करें।'] }],
  ['water_low (several glasses)', base({ water: [{ amount_ml: 250, logged_at: at(3) }] }),
    { en: ['Drink some water', 'You have had 250 ml of water today. Try 5 more glasses to stay on track for 2000 ml.'],
      hi: ['थोड़ा पानी पिएं', 'आज आपने 250 ml पानी पिया है। 2000 ml के लक्ष्य के लिए 5 गिलास और पिएं।'] }],
  ['water_low (one glass)', base({ water: [{ amount_ml: 1300, logged_at: at(3) }] }),
    { en: ['Drink some water', 'You have had 1300 ml of water today. Try 1 more glass to stay on track for 2000 ml.'],
      hi: ['थोड़ा पानी पिएं', 'आज आपने 1300 ml पानी पिया है। 2000 ml के लक्ष्य के लिए 1 गिलास और पिएं।'] }],
  ['sleep_short', base({ water: [{ amount_ml: 3000, logged_at: at(1) }], sleep: [{ sleep_start: '2025-03-10T01:00:00+05:30', sleep_end: '2025-03-10T05:30:00+05:30' }] }),
    { en: ['Short sleep', 'You slept about 4.5 hours. Most adults need 7 or more. A fixed bedtime and less tea or coffee after evening can help.'],
      hi: ['कम नींद', 'आप लगभग 4.5 घंटे सोए। ज़्यादातर लोगों को 7 घंटे या ज़्यादा नींद चाहिए। सोने का तय समय और शाम के बाद कम चाय-कॉफी मदद कर सकते हैं।'] }],
  ['sleep_short (under four hours)', base({ water: [{ amount_ml: 3000, logged_at: at(1) }], sleep: [{ sleep_start: '2025-03-10T02:30:00+05:30', sleep_end: '2025-03-10T05:30:00+05:30' }] }),
    { en: ['Short sleep', 'You slept about 3 hours. Most adults need 7 or more. A fixed bedtime and less tea or coffee after evening can help. Consider talking to your doctor about it.'],
      hi: ['कम नींद', 'आप लगभग 3 घंटे सोए। ज़्यादातर लोगों को 7 घंटे या ज़्यादा नींद चाहिए। सोने का तय समय और शाम के बाद कम चाय-कॉफी मदद कर सकते हैं। इस बारे में अपने डॉक्टर से बात करें।'] }],
  ['adherence_low', base({ water: [{ amount_ml: 3000, logged_at: at(1) }], adherence: { taken: 10, expected: 14 } }),
    { en: ['Missed medicines', 'You took 10 of 14 scheduled doses (71%). Reminders can help you stay on track. Do not stop or change a medicine without your doctor.'],
      hi: ['दवाइयां छूट रही हैं', 'आपने 14 में से 10 खुराक ली हैं (71%)। रिमाइंडर लगाने से मदद मिलेगी। डॉक्टर से पूछे बिना कोई दवा बंद या बदलें नहीं।'] }],
];

describe('recommendation wording', () => {
  it.each(CASES)('%s', (name, input, said) => {
    const recs = recommend(input);
    expect(recs.map((r) => r.id)).toEqual([name.split(' ')[0]]);
    for (const lang of ['en', 'hi'] as const) {
      const { title, message } = localize(recs[0]!, lang);
      expect([title, message]).toEqual(said[lang]);
    }
  });
});
