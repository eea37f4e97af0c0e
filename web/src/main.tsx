import { render } from 'preact';
import { App } from './state/app';
import { Root } from './views/Shell';
import './styles.css';

const app = new App();
document.documentElement.lang = app.i18n.locale.get();
render(<Root app={app} />, document.getElementById('app')!);
void app.restore();
