/**
 * Surface forms (English, romanized Hindi, Devanagari as Sarvam STT writes it) mapped to the
 * canonical tokens the router and slot parsers read. One table so a new spelling is a one-line
 * change. Number words live in numbers.ts. Format: `canonical: alias, alias, …`; a canonical with
 * spaces expands to several tokens, `-` drops the alias.
 */
import { fold, tokenize } from './fold.js';

const TABLE = `
i: main, maine, mainne, मैं, मैंने, मेने, मैने
my: mera, meri, mere, मेरा, मेरी, मेरे, apna, apni, apne
me: mujhe, mujhko, मुझे, मुझको
your: aapka, aapki, aapke, tumhara, tumhari, tumhare, आपका, आपकी, आपके, तुम्हारा, तुम्हारी
name: naam, नाम
assist: can you help>can you assist, could you help>could you assist, help me with>assist me with, help me use>assist me use, please help me understand>please assist me understand
you: aap, tum, tu, आप, तुम, aapko, tumhe
we: hum, ham, हम
is: hai, hain, hoon, hun, hu, है, हैं, हूं, हूँ, हु, i'm>i am, it's>it is, that's>that is, what's>what is, how's>how is, he's>he is, she's>she is
was: tha, thi, था, थी, थे, thaa
not: nahi, nahin, nhi, nahee, नहीं, नही, mat, मत, cannot>can not, can't>can not, don't>do not, didn't>did not, doesn't>does not, haven't>have not, hasn't>has not, isn't>is not, wasn't>was not, won't>will not, couldn't>could not, i've>i have, i'll>i will, let's>let us
kya: क्या
how_much: kitna, kitni, kitne, kitnaa, कितना, कितनी, कितने, how many, how much
when: kab, कब
which: kaun, kaunsi, kaunsa, kaunse, konsi, konsa, kon, कौन, कौनसी, कौनसा, कौन सी, कौन सा, kaun si, kaun sa, kon si
how: kaise, kaisa, kaisi, कैसे, कैसा, कैसी
tell: batao, bataiye, bataye, btao, bata, dikhao, dikhaiye, dikha, बताओ, बताइए, बताइये, बताएं, बता, दिखाओ, दिखाइए, show, display, list, सूची, suchi
in: mein, mei, में, andar
for: ke liye>for, ke lie>for, के लिए>for, ki liye>for, ke liye>for, ke waste>for, ke vaste>for
of: ka, ki, ke, का, की, के
ko: को
at: par, pe, पर, पे
from: se, से
till: tak, तक
after: baad, बाद, ke baad>after, after having>after
before: pehle, pahle, पहले, पेहले
and: aur, or, और, evam, tatha
with: ke saath>with, saath, sath, के साथ>with, साथ
day_after_tomorrow: day after tomorrow
day_before_yesterday: day before yesterday
today: aaj, आज, aj, today's>today
tomorrow: tommorow, tomorow, tmrw
yesterday: yesterday's>yesterday
now: abhi, ab, अभी, अब, right now>now, turant
morning: subah, subeh, subha, सुबह, savere, savera, सवेरे, मॉर्निंग
afternoon: dopahar, dopehar, दोपहर, noon>afternoon 12 oclock
evening: shaam, sham, शाम, saanjh
night: raat, rat, रात, tonight>today night
midnight: aadhi raat>midnight
oclock: baje, बजे, o'clock, oclock, bajey, baj, बज
am: a.m
pm: p.m
every: har, हर, each, प्रत्येक
should: chahiye, chahie, chaahiye, चाहिए, चाहिये
daily: roz, rozana, roj, rojana, रोज, रोज़, रोजाना, रोज़ाना, everyday, every day, each day, har roz, har din, har rooz, हर रोज, हर दिन, prati din, प्रतिदिन, pratidin, dinbhar>-, every morning>daily morning, every evening>daily evening, every night>daily night, har subah>daily morning, har shaam>daily evening, har raat>daily night, हर सुबह>daily morning, हर शाम>daily evening, हर रात>daily night
weekdays: weekday, on weekdays>weekdays, monday to friday>weekdays
weekend: weekends
day: days, din, दिन, dino, दिनों
week: weeks, hafta, hafte, hafton, हफ्ता, हफ्ते, हफ़्ते, saptah, सप्ताह, हप्ते
month: months, mahina, mahine, महीना, महीने
this_week: this week, is hafte, is week, इस हफ्ते, इस सप्ताह, is saptah
this_month: this month, is mahine, इस महीने
last_week: last week, past week, pichle hafte, pichhle hafte, पिछले हफ्ते, पिछले सप्ताह, previous week
last_month: last month, pichle mahine, पिछले महीने
last_night: last night, kal raat, कल रात, yesterday night
last: pichle, pichhle, पिछले, past, previous, latest, recent, most recent, aakhri, आखिरी
next: agle, agla, agli, अगले, अगला, अगली, upcoming, coming
monday: somvar, somwar, सोमवार, mon
tuesday: mangalvar, mangalwar, मंगलवार, tue, tues
wednesday: budhvar, budhwar, बुधवार, wed
thursday: guruvar, guruwar, brihaspativar, गुरुवार, बृहस्पतिवार, thu, thurs
friday: shukravar, shukrawar, शुक्रवार, fri
saturday: shanivar, shaniwar, शनिवार, sat
sunday: ravivar, raviwar, itvaar, itwar, रविवार, इतवार, sun
january: jan, janvari, जनवरी
february: feb, farvari, फरवरी
march: mar, मार्च
april: apr, aprail, अप्रैल
may: मई
june: jun, joon, जून
july: jul, julai, जुलाई
august: aug, agast, अगस्त
september: sep, sept, sitambar, सितंबर, सितम्बर
october: oct, aktubar, अक्टूबर, अक्तूबर
november: nov, navambar, नवंबर, नवम्बर
december: dec, disambar, दिसंबर, दिसम्बर
date_word: tarikh, taarikh, tareekh, तारीख, tarik, date
bp: b.p, बीपी, blood pressure, blood-pressure, ब्लड प्रेशर, ब्लडप्रेशर, रक्तचाप, raktchap, bp's>bp
pressure: प्रेशर, dabav
over: by, upon, bata, बाय, बटा, ओवर, अपॉन, upar, /
sugar: शुगर, glucose, ग्लूकोज, blood sugar>sugar, sugar level>sugar, glucose level>sugar, diabetes reading>sugar, madhumeh, मधुमेह, डायबिटीज, diabetes
fasting: empty stomach, khali pet, खाली पेट, khaali pet, nirahar, before breakfast>fasting, fbs, fasting's>fasting, फास्टिंग, nahar, निहार
postmeal: pp, ppbs, post meal, post-meal, postprandial, after meal>postmeal, after meals>postmeal, after food>postmeal, after eating>postmeal, after lunch>postmeal, after dinner>postmeal, after breakfast>postmeal, khane ke baad>postmeal, khaane ke baad>postmeal, khana khane ke baad>postmeal, खाने के बाद>postmeal, खाना खाने के बाद>postmeal, lunch ke baad>postmeal, dinner ke baad>postmeal, नाश्ते के बाद>postmeal, nashte ke baad>postmeal
random: rbs, random's>random
mgdl: mg/dl, mg dl, milligram
mmol: mmol/l, mmol l
pulse: पल्स, heart rate, heartrate, heart beat, heartbeat, dhadkan, धड़कन, धडकन, nabz, नब्ज, bpm, beats per minute
temperature: temp, टेम्परेचर, टेम्प्रेचर, तापमान, taapmaan, tapman, body temperature
fever: bukhar, bukhaar, बुखार, taap, jwar, ज्वर, feverish
degree: degrees, °, डिग्री, deg
fahrenheit: f, फारेनहाइट, fahrenheit
celsius: c, centigrade, सेल्सियस
weight: vajan, wajan, vazan, wazan, वजन, वज़न, weigh, weighed, weighing, वेट
kg: kgs, kilo, kilos, kilogram, kilograms, किलो, किलोग्राम, केजी
lb: lbs, pound, pounds
spo2: oxygen, oxygen level, oxygen saturation, saturation, ऑक्सीजन, o2, sp o2, एसपीओ2
percent: %, pratishat, प्रतिशत, per cent
water: paani, pani, पानी, जल, jal
glass: glasses, gilas, gilaas, glaas, गिलास, ग्लास
litre: liter, litres, liters, ltr, ltrs, लीटर
ml: millilitre, milliliter, millilitres, milliliters, एमएल, मिलीलीटर
g: gram, grams, gm, gms, ग्राम
bottle: bottles, बोतल, botal
katori: bowl, bowls, katoris, katori, कटोरी, कटोरा, katora
plate: plates, प्लेट, thali, थाली
cup: cups, कप, pyala, प्याला
piece: pieces, pcs, pc, टुकड़ा, टुकड़े, tukda, tukde
spoon: spoons, chammach, chamach, चम्मच, spoonful, tablespoon, tbsp
tsp: teaspoon, teaspoons
slice: slices, स्लाइस
sleep: neend, nind, नींद, sleeping, नीद, sona, सोना
slept: falling asleep>slept, fall asleep>slept, soya, soyi, soye, so gaya>slept, so gayi>slept, so gaye>slept, सोया, सोई, सोए, सोये, so gya>slept, went to bed>slept, went to sleep>slept, fell asleep>slept, sleep at>slept at
woke: utha, uthi, uthe, jaga, jagi, jage, उठा, उठी, उठे, जागा, जागी, woke up>woke, wake up>wakeup, got up>woke, awake>woke, uth gaya>woke, uth gayi>woke
wakeup: uthana, uthaana, jagana, jagaana, उठाना, जगाना, wake me>wakeup me, wake me up>wakeup me
getup: uth, उठ, get up>getup
hour: hours, hr, hrs, ghanta, ghante, ghanton, घंटा, घंटे, घंटों, घण्टे
minute: minutes, min, mins, minat, मिनट, minit
ate: khaya, khayi, khaye, khaaya, khaai, khaayi, khai, khaa, kha, खाया, खाई, खाए, खाये, खा, eat, eaten, eating, kha liya>ate, kha li>ate, kha liye>ate, खा लिया>ate, खा ली>ate, खा लिए>ate
drank: piya, piye, pee, pi, pia, पिया, पी, पिए, पिये, drink, drinking, drunk, pi liya>drank, pi li>drank, पी लिया>drank, पी ली>drank
took: li, liya, lee, liye, ली, लिया, लिए, taken, le li>took, le liya>took, le liye>took, ले ली>took, ले लिया>took, ले लिए>took, kha li hai>took
take: le, ले, lena, leni, lene, लेना, लेनी, लेने, lo, लो, taking
forgot: forget, forgotten, bhool, bhul, भूल, bhool gaya>forgot, bhool gayi>forgot, bhul gaya>forgot, भूल गया>forgot, भूल गई>forgot
skipped: skip, missed, miss, chhod, chhoda, chhodi, छोड़ी, छोड़ दी>skipped, chhod di>skipped
medicine: medicines, medication, medications, meds, med, dawai, dawa, davai, dava, dawaai, dawaiyan, dawaiyon, davaiyan, davaiyon, dawaai, दवाई, दवा, दवाइयां, दवाइयों, दवाईयां, दवाइयाँ, मेडिसिन, tablet, tablets, goli, goliyan, goliyon, गोली, गोलियां, गोलियाँ, pill, pills, capsule, capsules, टैबलेट, कैप्सूल
dose: doses, khurak, खुराक, dosage
schedule: schedules, timetable, time table, समय सारणी, routine
remind: reminder, reminders, remind me>remind me, yaad, याद, रिमाइंडर, yaad dilana>remind, yaad dila>remind, yaad dilaana>remind, याद दिलाना>remind, याद दिला>remind, yaad karana>remind, remember
alarm: alarms, अलार्म, alaram
set: lagao, laga, lagaiye, लगाओ, लगा, लगाइए, laga do>set, set up>set, create, add, rakh do>set, rakho
appointment: appointments, अपॉइंटमेंट, अपॉइंटमेंट्स, apointment, appoinment, visit, mulaqat
checkup: check up, check-up, jaanch, जांच, जाँच, चेकअप
doctor: doctors, dr, daktar, dactor, डॉक्टर, डाक्टर, physician, vaidya
hospital: अस्पताल, aspatal, clinic, क्लिनिक
go: jaana, jana, jaani, जाना, जानी, going
breakfast: nashta, naashta, nasta, nashte, naashte, नाश्ता, नाश्ते, ब्रेकफास्ट
lunch: लंच, dopahar ka khana>lunch, दोपहर का खाना>lunch
dinner: डिनर, raat ka khana>dinner, रात का खाना>dinner, supper
snack: snacks, snacking, नाश्ता>breakfast
meal: khana, khaana, khane, khaane, खाना, खाने, food, meals
chest: seena, seene, सीने, सीना, chhati, chhaati, छाती, chaati
pain: dard, दर्द, ache, aches, aching, hurts, hurting, hurt, painful, dukh, takleef, तकलीफ, jakdan, जकड़न, tightness, tight, heaviness, bhaaripan, भारीपन
heart: dil, दिल, हृदय
heartattack: heart attack, dil ka daura>heartattack, दिल का दौरा>heartattack, cardiac arrest
breathe: saans, saas, sans, सांस, श्वास, breath, breathing, breathe, swaas
breathless: breathlessness, short of breath>breathless, shortness of breath>breathless, out of breath>breathless, saans phool>breathless, सांस फूल>breathless, hafni>breathless, choking>breathless
faint: not waking up>faint, not waking>faint, hosh mein nahi>faint, होश में नहीं>faint, fainted, fainting, behosh, बेहोश, unconscious, passed out>faint, collapsed>faint, collapse>faint, blacked out>faint, unresponsive>faint, not responding>faint, hosh nahi>faint, होश नहीं>faint
dizzy: chakkar, चक्कर, dizziness, giddy, giddiness, lightheaded, light headed>dizzy, vertigo
stroke: lakwa, लकवा, paralysis, paralysed, paralyzed
seizure: seizures, fits, mirgi, मिर्गी, convulsion, convulsions, daura, दौरा
bleeding: bleed, bleeds, khoon beh>bleeding, खून बह>bleeding
fell: fall, fallen, falling, gir, गिर, gira, giri, gire, गिरा, गिरी, गिरे, slipped, fell down>fell
emergency: ambulance, एम्बुलेंस, इमरजेंसी, bachao, बचाओ, help me>emergency
walk: walked, walking, walks, tehla, tehle, tehlna, tahla, tahle, टहला, टहले, टहलने, टहलना, sair, सैर, morning walk>walk, evening walk>walk, वॉक, वाक
yoga: योग, योगा, yog
pranayama: pranayam, प्राणायाम, anulom vilom>pranayama
cycling: cycle, cycled, cycling, साइकिल, saikil, bicycle
running: ran, run, runs, jogging, jog, jogged, daud, daude, दौड़ा, दौड़
swimming: swim, swam, tairaki, तैराकी
exercise: exercises, exercised, workout, worked out>exercise, gym, vyayam, व्यायाम, kasrat, कसरत, एक्सरसाइज, physical activity
stretching: stretch, stretches, stretched
dancing: dance, danced, naach, नाच, डांस
meditate: meditation, meditated, dhyan, dhyaan, ध्यान, मेडिटेशन
mood: मूड, mann, मन, man ki sthiti>mood
feel: feeling, feels, felt, lag, lag raha>feel, lag rahi>feel, lag rahe>feel, लग>feel
happy: khush, खुश, cheerful, joyful, glad, prasann, प्रसन्न
sad: udaas, udas, उदास, dukhi, दुखी, unhappy, depressed
low: down, neeche, feeling low>feel low, dull
anxious: anxiety, nervous, ghabrahat, ghabrahat, घबराहट, bechaini, बेचैनी, worried, worry, chinta, चिंता
stressed: stress, stressful, tension, टेंशन, tense, pareshan, परेशान
tired: thaka, thaki, thake, thakaan, thakan, थका, थकी, थके, थकान, exhausted, fatigue, fatigued, kamzori, कमजोरी, weak, weakness, sleepy
angry: gussa, गुस्सा, irritated, chidchida
lonely: akela, akeli, अकेला, अकेली, alone
calm: shant, शांत, relaxed, peaceful
good: accha, achha, acha, achchha, achhi, acchi, achi, अच्छा, अच्छी, अच्छे, badhiya, बढ़िया, fine, well, great, nice, theek, thik, ठीक, okay>good, ok>good
bad: bura, buri, बुरा, kharab, खराब, terrible, awful, poor, poorly, badly
very: bahut, bohot, bahot, बहुत, really, so, extremely, zyada, jyada, ज्यादा, ज़्यादा
little: thoda, thodi, थोड़ा, थोड़ी, slightly
energy: urja, ऊर्जा, एनर्जी, energetic>energy high
advice: advise, advices, suggest, suggestion, suggestions, recommend, recommendation, recommendations, tip, tips, upay, upaay, उपाय, salah, salaah, सलाह, sujhav, sujhaav, सुझाव, guidance, margdarshan, what should i do>advice, kya karun>advice, kya karu>advice, kya karoon>advice, kya karna chahiye>advice, kya karein>advice, kya kare>advice, क्या करूं>advice, क्या करूँ>advice, क्या करना चाहिए>advice, क्या करें>advice, how can i>advice how, how do i>advice how, how to>advice how
health: sehat, सेहत, swasthya, स्वास्थ्य, health-wise>health, healthwise>health
lower: reduce, decrease, kam, कम, bring down>lower, ghatana, ghatane, घटाने
improve: better, sudhar, sudharna, सुधार, control, niyantran, badhana, increase
normal: sahi, सही, alright, healthy
calories: calorie, kcal, कैलोरी, kelori
log: record, note, save, darj, दर्ज, likh, likho, लिखो, enter
greeting: hello, hi, hey, namaste, namaskar, नमस्ते, नमस्कार, pranam, प्रणाम, ram ram>greeting, good morning>greeting, good afternoon>greeting, good evening>greeting, hola, hii, helo
thanks: thank you>thanks, thankyou, thanks, thx, shukriya, dhanyavad, dhanyawad, धन्यवाद, शुक्रिया, meherbani
bye: goodbye, good bye>bye, good night>bye, see you>bye, alvida, अलविदा, shubh ratri>bye, शुभ रात्रि>bye, tata
`;

export const LEXICON_PHRASE_MAX = 4;

/** Keys are folded surface phrases (space-joined tokens); values are canonical token lists. */
export const LEXICON: ReadonlyMap<string, readonly string[]> = buildLexicon(TABLE);

function buildLexicon(table: string): Map<string, readonly string[]> {
  const map = new Map<string, readonly string[]>();
  for (const line of table.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const canonical = line.slice(0, colon).trim();
    for (const rawAlias of line.slice(colon + 1).split(',')) {
      const a = rawAlias.trim();
      if (!a) continue;
      // `alias>expansion` gives an alias its own canonical form.
      const gt = a.indexOf('>');
      const surface = gt >= 0 ? a.slice(0, gt) : a;
      const target = gt >= 0 ? a.slice(gt + 1).trim() : canonical;
      const key = tokenize(fold(surface)).join(' ');
      if (!key || map.has(key)) continue;
      map.set(key, target === '-' ? [] : target.split(/\s+/));
    }
    const selfKey = tokenize(fold(canonical.replace(/_/g, ' '))).join(' ');
    if (!canonical.includes('_') && selfKey && !map.has(selfKey)) map.set(selfKey, [canonical]);
  }
  return map;
}

/** Romanized Hindi function and content words: their presence marks a Latin-script turn as Hinglish. */
export const HINGLISH_MARKERS: ReadonlySet<string> = new Set(
  (
    'hai hain hoon hun mein mei maine mainne mera meri mere mujhe kya kitna kitni kitne nahi nahin nhi aur ka ki ke ko se tha thi ' +
    'aaj kal subah shaam raat dopahar baje roti chawal paani pani dawai dawa davai goli neend khaya khayi khaye piya li liya ' +
    'karo kar karna karun batao dikhao yaad roz har ghanta ghante bukhar accha achha bahut thoda abhi ab raha rahi rahe gaya gayi ' +
    'namaste shukriya dhanyavad kaise kaun kaunsi kab ek teen chaar paanch aadha dedh dhai sau katori kela doodh khana khane seene ' +
    'saans chakkar behosh dard upay salah vajan mann udaas khush thakaan lagao dilana jaana uthana tarikh hafte pichle agle bhi toh ' +
    'wala wali lena leni lene peene soya utha kiya kiye ho raha rahi nashta nashte sabzi sabji dahi tum aap hum kuch koi hoga hogi lagta lag pe par tak baad pehle'
  ).split(' '),
);

/** Words the router treats as known even though no table maps them (for nonsense detection). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the i you he she it we they me him her us them my your his its our their this that these those is am are was were be been ' +
    'being have has had do does did will would shall should can could may might must to of in on at by for with about from up down ' +
    'out over under again then once here there when where why how all any both each few more most other some such no nor not only ' +
    'own same so than too very just now what which who whom whose and but or if because as until while yes yeah please sorry thank ' +
    'thanks tell say said know think want need like get got go went come came make made take took see look give feel help day time ' +
    'today tomorrow yesterday morning night evening good bad well okay ok fine great much many little lot something anything nothing ' +
    'everything someone joke weather name old age life family son daughter wife husband mother father mom dad papa mummy friend ' +
    'doctor hospital health body home work news music song story talk speak call phone happy sad love hate funny play game rain ' +
    'hot cold sun sunny outside inside house room read book watch tv movie also really still yet ever never always sometimes usually ' +
    'let us bit alright hmm umm oh ah wow hey hi hello bye done sure right wrong true false first last next new another every ' +
    'ho raha rahi rahe kar karo kuch koi bhi toh hi jo wo woh ye yeh wala wali wale ji na sa si aa aaya aayi gaya gayi gaye ' +
    'हो रहा रही रहे कर करो किया करने करना कुछ कोई भी तो ही जो वो यह वह ये वाला वाली वाले जी ना सा सी आ आया आई आए गया गई गए हुआ हुई दीजिए दो सकते सकता'
  ).split(' '),
);

export function isCanonicalKnown(token: string): boolean {
  return LEXICON.has(token) || CANONICAL_TOKENS.has(token);
}

const CANONICAL_TOKENS: ReadonlySet<string> = new Set([...LEXICON.values()].flat());
