import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import es from './es.json';

/** The interface's languages; Spanish first, as the officials write it. */
export const LANGUAGES = ['es', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Shared with the classic dashboard (services/gateway/web/assets/i18n.js): one choice for both. */
const STORAGE_KEY = 'imb.lang';

// Every Spanish text needs its English: a key missing from en.json fails the type check.
const english: typeof es = en;

export const isLanguage = (value: string): value is Language =>
  (LANGUAGES as readonly string[]).includes(value);

function savedLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY) ?? '';
  return isLanguage(saved) ? saved : 'es';
}

void i18n.use(initReactI18next).init({
  resources: { es: { translation: es }, en: { translation: english } },
  lng: savedLanguage(),
  fallbackLng: 'es',
  supportedLngs: LANGUAGES,
  // The resources are bundled: ready before the first render.
  initAsync: false,
  // React escapes what it renders.
  interpolation: { escapeValue: false },
});

const follow = (language: string) => {
  document.documentElement.lang = language;
  document.title = i18n.t('app.title');
};
follow(i18n.language);
i18n.on('languageChanged', (language) => {
  localStorage.setItem(STORAGE_KEY, language);
  follow(language);
});

export default i18n;
