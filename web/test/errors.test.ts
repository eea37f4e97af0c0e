import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../src/api/client';
import { describeError, describeRefusal, personOf, placedCallFailure } from '../src/api/describe';
import { ApiError, errorFromReply } from '../src/api/errors';
import { translate, type MessageKey } from '../src/i18n';

const ru = (key: MessageKey, params?: Record<string, string | number>) => translate('ru', key, params);
const en = (key: MessageKey, params?: Record<string, string | number>) => translate('en', key, params);

describe('errorFromReply', () => {
  it('reads the API error shape with who, field and retry time', () => {
    const e = errorFromReply(409, '{"error":{"code":"already_monitored","message":"Owner is joined","by":{"id":1,"name":"Owner"}}}');
    expect([e.status, e.code, e.message, e.by]).toEqual([409, 'already_monitored', 'Owner is joined', { id: 1, name: 'Owner' }]);
    const f = errorFromReply(400, '{"error":{"code":"unknown_field","message":"x","field":"admin"}}');
    expect(f.field).toBe('admin');
    const r = errorFromReply(429, '{"error":{"code":"rate_limited","message":"x","retry_after_seconds":840}}');
    expect(r.retryAfterSeconds).toBe(840);
  });
  it('keeps a non-JSON reply readable', () => {
    const e = errorFromReply(502, 'Bad Gateway\n');
    expect([e.code, e.message]).toEqual(['http_502', 'Bad Gateway']);
    expect(errorFromReply(500, '').message).toBe('HTTP 500');
    expect(errorFromReply(500, '{"error":"x"}').code).toBe('http_500');
  });
});

describe('describeError', () => {
  it.each([
    [new ApiError(409, 'already_monitored', 'm', { id: 1, name: 'Owner' }), 'К разговору уже подключён другой сотрудник: Owner', 'Another employee is already joined to the conversation: Owner'],
    [new ApiError(410, 'call_ended', 'm'), 'Разговор уже завершён', 'The conversation has already ended'],
    [new ApiError(409, 'no_supervisor_device', 'm'), 'Нет зарегистрированного телефона, на который можно позвонить', 'You have no registered phone to ring'],
    [new ApiError(403, 'forbidden', 'm'), 'Недостаточно прав', 'Not allowed'],
    [new ApiError(429, 'rate_limited', 'm', null, null, 30), 'Слишком много попыток входа, повторите через 30 с', 'Too many sign-in attempts, retry in 30 s'],
    [new ApiError(500, 'internal', 'disk full'), 'Ошибка: disk full', 'Error: disk full'],
    [new Error('boom'), 'Ошибка: boom', 'Error: boom'],
  ])('%o', (error, ruText, enText) => {
    expect(describeError(ru, error)).toBe(ruText);
    expect(describeError(en, error)).toBe(enText);
  });
  it('names who is joined from a refusal event\'s `by`, never with the server\'s English message', () => {
    const by = personOf({ id: 1, name: 'Owner' });
    expect(describeRefusal(ru, 'already_monitored', 'Owner is already joined to this call', { by })).toBe('К разговору уже подключён другой сотрудник: Owner');
    expect(describeRefusal(en, 'already_monitored', 'Owner is already joined to this call', { by })).toBe('Another employee is already joined to the conversation: Owner');
    expect(describeRefusal(ru, 'already_monitored', 'Owner is already joined to this call', { by: personOf(undefined) })).toBe('К разговору уже подключён другой сотрудник');
  });
  it.each([
    ['busy', 'Сотрудник занят: он сейчас на другом звонке', 'The employee is busy on another call'],
    ['employee_offline', 'У сотрудника нет зарегистрированного телефона', 'The employee has no registered phone'],
    ['no_trunk', 'Не настроена линия оператора связи для звонков клиентам', 'No provider line is set up for calls to clients'],
    ['no_client_number', 'У этого звонка нет номера клиента', 'This call has no client number'],
  ])('says why a card call is refused: %s', (code, ruText, enText) => {
    const error = new ApiError(409, code, 'English text from the server');
    expect(describeError(ru, error)).toBe(ruText);
    expect(describeError(en, error)).toBe(enText);
  });
  it('names why a placed call failed, in both languages, only when it never connected', () => {
    expect(placedCallFailure('callee_not_found', false)).toBe('placed.callee_not_found');
    expect(ru('placed.callee_not_found')).toBe('оператор связи не нашёл номер');
    expect(en('placed.callee_busy')).toBe('the number is busy');
    expect(placedCallFailure('callee_busy', true)).toBeNull();
    expect(placedCallFailure('client_hangup', false)).toBeNull();
    expect(placedCallFailure(null, false)).toBeNull();
  });
});

describe('ApiClient', () => {
  it('sends the bearer token and JSON, and throws typed refusals', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
      new Response('{"error":{"code":"already_monitored","message":"m","by":{"id":2,"name":"Anna"}}}', { status: 409 }),
    );
    const api = new ApiClient({ token: () => 'tok', fetch });
    const error = await api.monitor(7, 'whisper').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).by?.name).toBe('Anna');
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/v1/calls/7/monitor');
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe('{"mode":"whisper"}');
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect((init?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });
  it('signals a 401 of a signed-in request, maps network failures, and reads 204 as nothing', async () => {
    const onUnauthorized = vi.fn();
    const replies = [
      new Response('{"error":{"code":"unauthorized","message":"m"}}', { status: 401 }),
      new Response(null, { status: 204 }),
    ];
    const api = new ApiClient({ token: () => 't', fetch: async () => replies.shift()!, onUnauthorized });
    await expect(api.me()).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
    await expect(api.save(3, false)).resolves.toBeUndefined();
    const offline = new ApiClient({ token: () => null, fetch: async () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(offline.login('a', 'b')).rejects.toMatchObject({ status: 0, code: 'network', message: 'Failed to fetch' });
  });
});
