import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { useI18n } from '../i18n/I18nProvider';

interface State {
  failed: boolean;
}

class Boundary extends Component<{ children: ReactNode; message: string; retry: string }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error(error);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="alert alert--error" role="alert" data-testid="page-crash">
        <p>{this.props.message}</p>
        <button type="button" className="btn btn--secondary" onClick={() => this.setState({ failed: false })}>
          {this.props.retry}
        </button>
      </div>
    );
  }
}

/** Keeps one broken page (an unexpected response shape, a failed chunk load) from blanking the app. */
export function ErrorBoundary({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <Boundary key={location.pathname} message={t('error.crash')} retry={t('common.retry')}>
      {children}
    </Boundary>
  );
}
