import { describe, expect, it } from 'vitest';
import { parseNumbers } from '../../../../graphs/assistant/nlu/index.js';

describe('parseNumbers', () => {
  it.each([
    // English
    ['one forty over ninety', [140, 90]],
    ['one twenty five by eighty five', [125, 85]],
    ['a hundred and twenty', [120]],
    ['one hundred forty five', [145]],
    ['two thousand', [2000]],
    ['forty-five minutes', [45]],
    ['two and a half hours', [2.5]],
    ['half a plate', [0.5]],
    ['a couple of rotis', [2]],
    ['three glasses', [3]],
    // romanized Hindi
    ['ek sau chalis by nabbe', [140, 90]],
    ['do roti', [2]],
    ['teen idli', [3]],
    ['paanch glass', [5]],
    ['dedh ghanta', [1.5]],
    ['dhai litre', [2.5]],
    ['aadha plate', [0.5]],
    ['sawa do', [2.25]],
    ['saadhe teen', [3.5]],
    ['paune nau', [8.75]],
    ['dedh sau', [150]],
    ['sawa sau', [125]],
    ['do hazaar paanch sau', [2500]],
    ['ek sau saath', [160]],
    ['BP ek sau pachas by sau', [150, 100]],
    ['unnis', [19]],
    ['chhiyasi', [86]],
    // Devanagari
    ['एक सौ चालीस बटा नब्बे', [140, 90]],
    ['दो रोटी', [2]],
    ['पाँच गिलास', [5]],
    ['डेढ़ घंटा', [1.5]],
    ['ढाई सौ', [250]],
    ['आधा घंटा', [0.5]],
    ['साढ़े दस', [10.5]],
    ['अड़तीस', [38]],
    ['१४० बटा ९०', [140, 90]],
    // digits and decimals
    ['98.6', [98.6]],
    ['1,000 ml', [1000]],
  ])('%s → %j', (input, expected) => {
    expect(parseNumbers(input)).toEqual(expected);
  });

  it('does not read the English verb "do" or Hindi "ke saath" as numbers', () => {
    expect(parseNumbers('what should I do')).toEqual([]);
    expect(parseNumbers('do you know my BP')).toEqual([]);
    expect(parseNumbers('mujhe kuch tips do')).toEqual([]);
    expect(parseNumbers('dawai khane ke saath li')).toEqual([]);
    expect(parseNumbers('मुझे सलाह दो')).toEqual([]);
  });
});
