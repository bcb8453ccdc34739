import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

// Only the parts the dashboard draws, so the chart chunk stays small.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One ECharts canvas. The canvas is an image to assistive technology, so it carries a label, and
 * every chart on the dashboard has a table of the same numbers next to it. Series get decal
 * patterns (aria.decal) and value labels, so no figure is told by colour alone.
 */
export function Chart({ option, label, testId }: { option: ChartOption; label: string; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    // aria.label off: ECharts' generated description ("第0个系列…的数据是0，25") would replace ours.
    chart.setOption({ aria: { enabled: true, label: { enabled: false }, decal: { show: true } }, animation: false, ...option });
    // The container, not the window: a scrollbar appearing or the grid reflowing changes its width too.
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
