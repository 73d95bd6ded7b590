import type { ReactNode } from 'react';
import type { Page } from '@zdec/shared';
import { Pager } from './ui';

/** One page of a list as a stack of cards, with the pager under it. */
export function PagedList<T extends { id: string }>({
  data,
  onPage,
  testId,
  className = 'stack',
  children,
}: {
  data: Page<T>;
  onPage: (page: number) => void;
  testId?: string;
  className?: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <>
      <ul className={className} data-testid={testId}>
        {data.items.map(children)}
      </ul>
      <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={onPage} />
    </>
  );
}
