import { describe, expect, it } from 'vitest';
import { I18n, dictionaries, format, translate } from '../src/i18n';
import { memoryStorage } from '../src/lib/store';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('i18n', () => {
  it('has every key in both languages, non-empty, with the same placeholders', () => {
    const ruKeys = Object.keys(dictionaries.ru).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(ruKeys);
    for (const key of ruKeys as (keyof typeof dictionaries.ru)[]) {
      expect(dictionaries.ru[key].trim(), key).not.toBe('');
      expect(dictionaries.en[key].trim(), key).not.toBe('');
      expect(placeholders(dictionaries.en[key]), key).toEqual(placeholders(dictionaries.ru[key]));
    }
  });

  it('uses the product page wording in Russian', () => {
    const cases: [keyof typeof dictionaries.ru, string, string][] = [
      ['join.listen', 'Прослушать', 'Listen'],
      ['join.whisper', 'Суфлировать', 'Whisper'],
      ['card.disconnect', 'Отключиться', 'Disconnect'],
      ['card.comment', 'Комментарий к звонку', 'Comment on the call'],
      ['menu.team', 'Команда', 'Team'],
      ['menu.projects', 'Проекты', 'Projects'],
      ['projectState.title', 'Состояние проекта', 'Project state'],
      ['menu.balance', 'Баланс', 'Balance'],
      ['menu.tariff', 'Тариф и возможности', 'Tariff and features'],
      ['tariff.connect', 'Подключить', 'Connect'],
      ['tariff.connected', 'Подключённые', 'Connected'],
      ['tariff.disable', 'Отключить', 'Disable'],
      ['card.title', 'Карточка звонка', 'Call card'],
      ['phone.ring.browser', 'Браузер', 'Browser'],
      ['phone.ring.sip_phone', 'SIP-телефон', 'SIP phone'],
      ['phone.answer', 'Ответить', 'Answer'],
      ['phone.state.registered', 'Телефон в браузере подключён', 'The browser phone is connected'],
    ];
    for (const [key, ru, en] of cases) {
      expect(translate('ru', key)).toBe(ru);
      expect(translate('en', key)).toBe(en);
    }
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(format('{a} and {b}', { a: 1, b: 'x' })).toBe('1 and x');
    expect(format('{a} and {c}', { a: 1 })).toBe('1 and {c}');
    expect(translate('ru', 'error.already_monitored', { name: 'Owner' })).toBe('К разговору уже подключён другой сотрудник: Owner');
  });

  it('defaults to Russian and persists the chosen language', () => {
    const storage = memoryStorage();
    const i18n = new I18n(storage);
    expect(i18n.locale.get()).toBe('ru');
    expect(i18n.t('menu.signOut')).toBe('Выйти');
    i18n.toggle();
    expect(i18n.t('menu.signOut')).toBe('Sign out');
    expect(storage.getItem('suflyor.locale')).toBe('en');
    expect(new I18n(storage).locale.get()).toBe('en');
    storage.setItem('suflyor.locale', 'de');
    expect(new I18n(storage).locale.get()).toBe('ru');
  });
});
