import { isSupervisorRole } from '../lib/permissions';
import type { App } from '../state/app';
import { CardView } from './CardView';
import { AppContext, useApp } from './context';
import { GettingStarted } from './GettingStarted';
import { Header } from './Header';
import { useStore } from './hooks';
import { Login } from './Login';
import { Notices } from './Notices';
import { OperatorHome } from './OperatorHome';
import { PhoneDock } from './PhoneDock';
import { ProjectsView } from './ProjectsView';
import { SavedView } from './SavedView';
import { TariffView } from './TariffView';
import { TeamView } from './TeamView';
import { TrunksView } from './TrunksView';

export function Root({ app }: { app: App }) {
  return (
    <AppContext.Provider value={app}>
      <Shell />
      <Notices />
    </AppContext.Provider>
  );
}

function Shell() {
  const app = useApp();
  const booting = useStore(app.booting);
  const session = useStore(app.session);
  const route = useStore(app.router.route);
  if (booting) return <p class="muted center">{app.t('common.loading')}</p>;
  if (!session) return <Login />;
  const supervisor = isSupervisorRole(session.me.role);
  let page;
  switch (route.name) {
    case 'card':
      page = <CardView callId={route.callId} />;
      break;
    case 'saved':
      page = <SavedView />;
      break;
    case 'team':
      page = supervisor ? <TeamView /> : <OperatorHome />;
      break;
    case 'projects':
      page = supervisor ? <ProjectsView /> : <OperatorHome />;
      break;
    case 'trunks':
      page = supervisor ? <TrunksView /> : <OperatorHome />;
      break;
    case 'tariff':
      page = supervisor ? <TariffView /> : <OperatorHome />;
      break;
    default:
      page = supervisor ? (
        <>
          <GettingStarted />
          <TeamView />
        </>
      ) : (
        <OperatorHome />
      );
  }
  return (
    <>
      <Header />
      <main class="page">{page}</main>
      <PhoneDock />
    </>
  );
}
