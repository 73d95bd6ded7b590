import { Link } from 'react-router';
import { useSandboxText } from './messages';

/** The way from a sandbox order's delivery to its sandbox page. */
export function SandboxLink({ orderId }: { orderId: string }) {
  const { s } = useSandboxText();
  return (
    <Link to={`/orders/${orderId}/sandbox`} className="btn btn--primary btn--small" data-testid="delivery-open-sandbox">
      {s('open')}
    </Link>
  );
}
