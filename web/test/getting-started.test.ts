// «С чего начать»: the first-run checklist on the supervisor's home page, rendered in a fake DOM.
// Each step is done from what the account has (an operator, a project, my phone or browser
// registered, a trunk, the feature connected), links to its page, and the panel can be hidden.
import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { GettingStarted, hiddenKey, knownFacts, setupSteps } from '../src/views/GettingStarted';
import type { FakeElement } from './fake-dom';
import { employee, feature, fakeApp, me, mount, user } from './view-fakes';

/** "step:done" for each item of the checklist ("-": the closing hint, which is never done). */
const stepsOf = (panel: FakeElement | null) =>
  panel!.findAll((e) => e.getAttribute('data-step') !== null).map((e) => `${e.getAttribute('data-step')}:${e.getAttribute('data-done') ?? '-'}`);

describe('setupSteps / knownFacts', () => {
  it('marks each step by its fact, in the order of a first monitored call', () => {
    const none = { hasOperator: false, hasProject: false, phoneConnected: false, hasTrunk: false, featureConnected: false };
    expect(setupSteps(none).map((s) => [s.key, s.done, s.path])).toEqual([
      ['employees', false, '/team'],
      ['project', false, '/projects'],
      ['phone', false, '/team'],
      ['trunk', false, '/trunks'],
      ['feature', false, '/tariff'],
    ]);
    expect(setupSteps({ ...none, hasTrunk: true }).find((s) => s.key === 'trunk')!.done).toBe(true);
  });

  it('reads an operator, my registration and the feature from the app state', () => {
    const mine = me({ id: 1 });
    expect(knownFacts(null, mine, null)).toEqual({ hasOperator: false, phoneConnected: false, featureConnected: false });
    // Only an operator counts as an employee added; my presence (phone or browser) is live in the team.
    const team = [employee(1, 'creator', 'available'), employee(2, 'administrator')];
    expect(knownFacts(team, mine, [feature('requested')])).toEqual({ hasOperator: false, phoneConnected: true, featureConnected: false });
    expect(knownFacts([...team, employee(3, 'operator')], mine, [feature('connected')])).toEqual({ hasOperator: true, phoneConnected: true, featureConnected: true });
  });
});

describe('the panel', () => {
  it('lists what is left with links, counting a missing trunks API as no trunk', async () => {
    const { asApp, routes, calls } = fakeApp({ features: [feature('connected')], team: [employee(1, 'creator')] });
    const page = await mount(asApp, h(GettingStarted, {}));
    const panel = page.byTestId('getting-started')!;
    expect(panel).not.toBeNull();
    expect(panel.textContent).toContain('С чего начать');
    expect(panel.textContent).toContain('Сделано 1 из 5');
    expect(calls).toEqual(expect.arrayContaining(['GET projects', 'GET /api/v1/trunks']));
    expect(stepsOf(panel)).toEqual(['employees:false', 'project:false', 'phone:false', 'trunk:false', 'feature:true', 'listen:-']);
    expect(panel.textContent).toContain('Добавьте сотрудников');
    expect(panel.textContent).toContain('Прослушать');

    const links = panel.findAll((e) => e.localName === 'a');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/team', '/projects', '/team', '/trunks', '/tariff']);
    await user(() => links[1]!.dispatch('click'));
    expect(routes).toEqual([{ name: 'projects' }]);
  });

  it('counts a project, a trunk, an operator and my registered phone', async () => {
    const { asApp } = fakeApp({
      features: [feature('none')],
      team: [employee(1, 'creator', 'available'), employee(2, 'operator')],
      server: { projects: [{ id: 1, name: 'Sales', operators: [2], results: [] }], trunks: [{ id: 1, name: 'provider' }] },
    });
    const page = await mount(asApp, h(GettingStarted, {}));
    const panel = page.byTestId('getting-started')!;
    expect(stepsOf(panel)).toEqual(['employees:true', 'project:true', 'phone:true', 'trunk:true', 'feature:false', 'listen:-']);
    expect(panel.textContent).toContain('Сделано 4 из 5');
  });

  it('is gone once everything is set up', async () => {
    const { asApp } = fakeApp({
      features: [feature('connected')],
      team: [employee(1, 'creator', 'available'), employee(2, 'operator')],
      server: { projects: [{ id: 1 }], trunks: [{ id: 1 }] },
    });
    const page = await mount(asApp, h(GettingStarted, {}));
    expect(page.byTestId('getting-started')).toBeNull();
  });

  it('follows live changes: my phone registering ticks its step', async () => {
    const { app, asApp } = fakeApp({ team: [employee(1, 'creator', 'offline')] });
    const page = await mount(asApp, h(GettingStarted, {}));
    expect(stepsOf(page.byTestId('getting-started'))).toContain('phone:false');
    await user(() => app.team.set([employee(1, 'creator', 'available')]));
    expect(stepsOf(page.byTestId('getting-started'))).toContain('phone:true');
  });

  it('can be hidden, and stays hidden for this account', async () => {
    const { app, asApp } = fakeApp();
    const page = await mount(asApp, h(GettingStarted, {}));
    await user(() => page.byTestId('getting-started-hide')!.dispatch('click'));
    expect(page.byTestId('getting-started')).toBeNull();
    expect(app.storage.getItem(hiddenKey(1))).toBe('1');
    const again = await mount(asApp, h(GettingStarted, {}));
    expect(again.byTestId('getting-started')).toBeNull();
  });

  it('speaks English', async () => {
    const { app, asApp } = fakeApp();
    app.i18n.setLocale('en');
    const page = await mount(asApp, h(GettingStarted, {}));
    const text = page.byTestId('getting-started')!.textContent;
    for (const part of ['Getting started', 'Add employees', 'Create a project', 'Connect a phone or the browser', 'Add a trunk', 'Connect "Whisper and listen"', 'Listen to a call'])
      expect(text).toContain(part);
  });
});
