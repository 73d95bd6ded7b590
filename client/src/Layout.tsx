import { useEffect, useState, type ReactNode } from 'react';
import { Link, NavLink, useLocation, useNavigate } from 'react-router';
import { useAuth } from './auth/AuthProvider';
import { navFor } from './auth/nav';
import { useI18n } from './i18n/I18nProvider';
import { InboxLink } from './features/notifications/InboxLink';
import { DemoWorldBanner } from './features/stats/DemoWorldBanner';

export function Layout({ children }: { children: ReactNode }) {
  const { t, tEnum, locale, setLocale } = useI18n();
  const { user, role, signOut } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => setMenuOpen(false), [location.pathname]);

  const items = navFor(role, user?.duty);
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <div className="topbar__inner">
          <Link to="/" className="brand" data-testid="brand">
            <span className="brand__mark" aria-hidden="true">
              ZDEC
            </span>
            <span className="brand__text">
              <span className="brand__name">{t('app.exchange')}</span>
              <span className="brand__sub">{t('app.platform')}</span>
            </span>
          </Link>
          <div className="topbar__tools">
            <button
              type="button"
              className="btn btn--ghost lang-toggle"
              onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
              aria-label={t('nav.switchLanguage')}
              data-testid="lang-toggle"
              lang={locale === 'zh-CN' ? 'en' : 'zh-CN'}
            >
              {locale === 'zh-CN' ? 'English' : '中文'}
            </button>
            {user ? (
              <div className="user-box" data-testid="user-box" data-role={user.role}>
                <InboxLink />
                <Link to="/account" className="user-box__name" data-testid="nav-account" title={t('nav.account')}>
                  {user.displayName} · {tEnum('role', user.role)}
                </Link>
                <span className="user-box__org">{user.org.name}</span>
                <button
                  type="button"
                  className="btn btn--ghost"
                  data-testid="sign-out"
                  onClick={() => {
                    signOut();
                    navigate('/');
                  }}
                >
                  {t('nav.signOut')}
                </button>
              </div>
            ) : (
              <div className="user-box">
                <Link className="btn btn--ghost" to="/signin" data-testid="nav-signin">
                  {t('nav.signIn')}
                </Link>
                <Link className="btn btn--light" to="/register" data-testid="nav-register">
                  {t('nav.register')}
                </Link>
              </div>
            )}
            <button
              type="button"
              className="btn btn--ghost menu-toggle"
              aria-expanded={menuOpen}
              aria-controls="main-nav"
              onClick={() => setMenuOpen((o) => !o)}
            >
              {t('nav.menu')}
            </button>
          </div>
        </div>
        <nav id="main-nav" className={`mainnav${menuOpen ? ' mainnav--open' : ''}`} aria-label={t('nav.label')}>
          <ul className="mainnav__list">
            {items.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === '/'} data-testid={item.testId}>
                  {role === 'buyer' && item.to === '/orders' ? t('nav.myOrders') : t(item.label)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" className="main" tabIndex={-1}>
        <DemoWorldBanner />
        {children}
      </main>
      <footer className="footer">
        <p>{t('app.footer')}</p>
        <p className="footer__small">{t('app.footerTime')}</p>
      </footer>
    </div>
  );
}
