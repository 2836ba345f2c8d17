/**
 * Languages offered in the picker: the Indian languages the speech providers serve (Sarvam's
 * list; the local engines read them through espeak-ng), named in their own script.
 */
export const LANGUAGES: Array<{ code: string; label: string }> = [
  { code: 'en-IN', label: 'English (India)' },
  { code: 'hi-IN', label: 'हिन्दी — Hindi' },
  { code: 'bn-IN', label: 'বাংলা — Bengali' },
  { code: 'gu-IN', label: 'ગુજરાતી — Gujarati' },
  { code: 'kn-IN', label: 'ಕನ್ನಡ — Kannada' },
  { code: 'ml-IN', label: 'മലയാളം — Malayalam' },
  { code: 'mr-IN', label: 'मराठी — Marathi' },
  { code: 'od-IN', label: 'ଓଡ଼ିଆ — Odia' },
  { code: 'pa-IN', label: 'ਪੰਜਾਬੀ — Punjabi' },
  { code: 'ta-IN', label: 'தமிழ் — Tamil' },
  { code: 'te-IN', label: 'తెలుగు — Telugu' },
  { code: 'auto', label: 'Detect automatically' },
];

export function isLanguage(code: string | null | undefined): code is string {
  return !!code && LANGUAGES.some((l) => l.code === code);
}
