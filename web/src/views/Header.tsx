import { useEffect, useRef, useState } from 'preact/hooks';
import { canManageFeatures, isSupervisorRole } from '../lib/permissions';
import type { Route } from '../state/router';
import { useApp } from './context';
import { useStore } from './hooks';
import { PhoneMenu } from './PhoneMenu';

/** Main menu (left); the phone menu and the account-name menu with Team and sign-out (top right). */
export function Header() {
  const app = useApp();
  const session = useStore(app.session);
  const route = useStore(app.router.route);
  const live = useStore(app.live);
  const [open, setOpen] = useState<'account' | 'balance' | 'phone' | null>(null);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const close = (e: MouseEvent) => ref.current && !ref.current.contains(e.target as Node) && setOpen(null);
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  if (!session) return null;
  const me = session.me;
  const supervisor = isSupervisorRole(me.role);
  const go = (r: Route) => {
    setOpen(null);
    app.go(r);
  };
  const item = (r: Route, label: string, testId: string) => (
    <button class={`nav ${route.name === r.name ? 'active' : ''}`} data-testid={testId} onClick={() => go(r)}>
      {label}
    </button>
  );
  return (
    <header class="top" ref={ref}>
      <nav class="main-menu">
        <span class="brand">{app.t('app.title')}</span>
        {supervisor ? item({ name: 'projects' }, app.t('menu.projects'), 'menu-projects') : item({ name: 'home' }, app.t('menu.myCalls'), 'menu-my-calls')}
        {item({ name: 'saved' }, app.t('menu.saved'), 'menu-saved')}
        {supervisor && item({ name: 'trunks' }, app.t('menu.trunks'), 'menu-trunks')}
        {canManageFeatures(me) && (
          <div class="menu-anchor">
            <button class={`nav ${route.name === 'tariff' ? 'active' : ''}`} data-testid="menu-balance" aria-expanded={open === 'balance'} onClick={() => setOpen(open === 'balance' ? null : 'balance')}>
              {app.t('menu.balance')} ▾
            </button>
            {open === 'balance' && (
              <div class="menu" role="menu">
                <button role="menuitem" data-testid="menu-tariff" onClick={() => go({ name: 'tariff' })}>
                  {app.t('menu.tariff')}
                </button>
              </div>
            )}
          </div>
        )}
      </nav>
      <div class="right">
        {live !== 'open' && (
          <span class="live-off" title={app.t('live.offline')}>
            ●
          </span>
        )}
        <PhoneMenu open={open === 'phone'} onToggle={() => setOpen(open === 'phone' ? null : 'phone')} />
        <button class="ghost small" data-testid="language" onClick={() => app.i18n.toggle()}>
          {app.t('menu.language')}
        </button>
        <div class="menu-anchor">
          <button class="account" data-testid="account-menu" aria-expanded={open === 'account'} onClick={() => setOpen(open === 'account' ? null : 'account')}>
            {me.account.name} ▾
          </button>
          {open === 'account' && (
            <div class="menu right" role="menu">
              <div class="menu-note">
                {me.name} · {app.t(`role.${me.role}`)}
              </div>
              {supervisor && (
                <button role="menuitem" data-testid="menu-team" onClick={() => go({ name: 'team' })}>
                  {app.t('menu.team')}
                </button>
              )}
              <button role="menuitem" data-testid="sign-out" onClick={() => void app.logout()}>
                {app.t('menu.signOut')}
              </button>
            </div>
          )}
        </div>
      </div>
    </header>
  );
}
