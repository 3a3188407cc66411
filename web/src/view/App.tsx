/** The shell: navigation by role, the login gate, and the page for the current path. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadSymbols, type SymbolInfo } from '../state/market.js';
import { logout, session } from '../state/session.js';
import { FollowingPage } from './copy/Following.js';
import { LeadDeskPage } from './copy/LeadDesk.js';
import { LeadProfilePage } from './copy/LeadProfile.js';
import { LeaderboardPage } from './copy/Leaderboard.js';
import { accountIdOf } from './copy/CopyShell.js';
import { LoginPage } from './Login.js';
import { ReportsPage } from './Reports.js';
import { RiskPage } from './Risk.js';
import { linkClick, navigate, path } from './router.js';
import { StoryPage } from './Story.js';
import { TradePage } from './Trade.js';
import { WhyList, WhyPage } from './Why.js';

function Nav(): JSX.Element {
  const info = session.value;
  const current = path.value;
  const link = (href: string, label: string): JSX.Element => (
    <a href={href} aria-current={current === href || (href !== '/' && current.startsWith(`${href}/`)) ? 'page' : undefined}>{label}</a>
  );
  return (
    <header class="topbar">
      <a class="brand" href="/">perpx</a>
      <nav aria-label="Main">
        {link('/trade/BTCUSDT', 'Trade')}
        {link('/why', 'Liquidations')}
        {link('/copy', 'Copy trading')}
        {info?.kind === 'operator' && link('/risk', 'Risk')}
        {info?.kind === 'operator' && link('/story', 'Story')}
        {link('/reports', 'Reports')}
      </nav>
      <span class="who" data-testid="who">{info?.kind === 'operator' ? 'Operator' : `Account ${info?.accountId ?? ''}`}</span>
      <button type="button" onClick={() => void logout().then(() => navigate('/login'))}>Log out</button>
    </header>
  );
}

function notFound(): JSX.Element {
  return <main class="page"><h1>Not found</h1><p><a href="/trade/BTCUSDT">Go to the terminal</a></p></main>;
}

function copyPage(second: string, third: string): JSX.Element {
  if (second === '') return <LeaderboardPage />;
  if (second === 'following') return <FollowingPage />;
  if (second === 'portfolio') return <LeadDeskPage />;
  const leadId = accountIdOf(third);
  if (second === 'lead' && leadId !== undefined) return <LeadProfilePage key={leadId} accountId={leadId} />;
  return notFound();
}

export function App(): JSX.Element {
  const [symbols, setSymbols] = useState<SymbolInfo[] | undefined>(undefined);
  useEffect(() => { loadSymbols().then(setSymbols, () => setSymbols([])); }, []);
  const info = session.value;
  const current = path.value;
  if (info === undefined) return <p role="status" class="loading">Loading…</p>;
  if (info === null) return <div onClick={linkClick}><LoginPage /></div>;
  let page: JSX.Element;
  const [, first = '', second = '', third = ''] = current.split('/');
  if (first === 'trade' || first === '' || first === 'login') {
    page = symbols === undefined ? <p role="status">Loading…</p>
      : <TradePage symbol={second !== '' ? second : 'BTCUSDT'} symbols={symbols} />;
  } else if (first === 'why') page = second === '' ? <WhyList /> : <WhyPage id={second} />;
  else if (first === 'copy') page = copyPage(second, third);
  else if (first === 'story') page = <StoryPage />;
  else if (first === 'risk') page = <RiskPage />;
  else if (first === 'reports') page = <ReportsPage name={second} />;
  else page = notFound();
  return (
    <div class="app" onClick={linkClick}>
      <Nav />
      {page}
    </div>
  );
}
