import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Numbers, money (MXN) and dates as written in Mexico: es-MX, or en-MX in the English interface
 * (Mexico's conventions with English words: "MX$1,234.50", "Dec 7, 2026").
 */
export function formatters(locale: 'es-MX' | 'en-MX') {
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'MXN' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' });
  const when = (value: string | number | Date) => new Date(value);
  return {
    locale,
    number: (value: number) => number.format(value),
    /** A percentage given as 0..100 ("45 %" in es-MX). */
    percent: (value: number) => percent.format(value / 100),
    money: (value: number) => money.format(value),
    date: (value: string | number | Date) => date.format(when(value)),
    dateTime: (value: string | number | Date) => dateTime.format(when(value)),
  };
}

export type Formatters = ReturnType<typeof formatters>;

/** The formatters of the interface's language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? 'en-MX' : 'es-MX';
  return useMemo(() => formatters(locale), [locale]);
}
