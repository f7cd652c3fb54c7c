import 'i18next';
import type es from './es.json';

// t('…') accepts only keys of the Spanish resources (the reference language).
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof es };
  }
}
