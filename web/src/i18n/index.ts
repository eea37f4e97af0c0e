import { Store, type KeyValue } from '../lib/store';
import { en } from './en';
import { ru, type MessageKey } from './ru';

export type Locale = 'ru' | 'en';
export type { MessageKey };

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { ru, en };

const STORAGE_KEY = 'suflyor.locale';

/** Replaces `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(dictionaries[locale][key] ?? ru[key] ?? key, params);
}

/** The chosen language: Russian by default, persisted in storage. */
export class I18n {
  readonly locale: Store<Locale>;

  constructor(private readonly storage: KeyValue) {
    const saved = storage.getItem(STORAGE_KEY);
    this.locale = new Store<Locale>(saved === 'en' || saved === 'ru' ? saved : 'ru');
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string =>
    translate(this.locale.get(), key, params);

  setLocale(locale: Locale): void {
    this.storage.setItem(STORAGE_KEY, locale);
    this.locale.set(locale);
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }

  toggle(): void {
    this.setLocale(this.locale.get() === 'ru' ? 'en' : 'ru');
  }
}
