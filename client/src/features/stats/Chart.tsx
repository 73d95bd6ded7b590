import { useEffect, useRef } from 'react';
import { echarts, type ChartOption } from './charts';

/** One ECharts instance bound to a div; resizes with its container and is disposed on unmount. */
export function Chart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={el} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
