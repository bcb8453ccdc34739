import { Alert, Button, Card, Statistic, Table, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { DashboardIndustryRow, DashboardResponse } from '../api/types';
import { Chart, type ChartOption } from '../charts/Chart';
import { percent } from '../format';
import { Loading } from '../layout/WorkspaceLayout';

const valueLabel = { show: true, position: 'top' as const, color: '#262626' };

function countsOption(rows: DashboardIndustryRow[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.industryName), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '经营者', type: 'bar', data: rows.map((r) => r.businesses), label: valueLabel },
      { name: '计量器具', type: 'bar', data: rows.map((r) => r.instruments), label: valueLabel },
    ],
  };
}

function ratesOption(rows: DashboardIndustryRow[]): ChartOption {
  const pct = (v: number | null) => (v == null ? null : Math.round(v * 1000) / 10);
  return {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : `${v}%`) },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: rows.map((r) => r.industryName), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      { name: '检定率', type: 'bar', data: rows.map((r) => pct(r.verificationRate)), label: { ...valueLabel, formatter: '{c}%' } },
      { name: '合格率', type: 'bar', data: rows.map((r) => pct(r.passRate)), label: { ...valueLabel, formatter: '{c}%' } },
    ],
  };
}

function trendOption(trend: DashboardResponse['trend']): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: trend.map((t) => t.month) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '检定次数', type: 'line', data: trend.map((t) => t.verifications), label: valueLabel, symbol: 'circle', symbolSize: 8 },
      { name: '合格次数', type: 'line', data: trend.map((t) => t.passed), label: { ...valueLabel, position: 'bottom' }, symbol: 'triangle', symbolSize: 10, lineStyle: { type: 'dashed' } },
    ],
  };
}

const industryColumns = [
  { title: '行业', dataIndex: 'industryName', key: 'industryName' },
  { title: '经营者', dataIndex: 'businesses', key: 'businesses', align: 'right' as const },
  { title: '计量器具', dataIndex: 'instruments', key: 'instruments', align: 'right' as const },
];
const rateColumns = [
  { title: '行业', dataIndex: 'industryName', key: 'industryName' },
  { title: '检定率', dataIndex: 'verificationRate', key: 'verificationRate', align: 'right' as const, render: percent },
  { title: '合格率', dataIndex: 'passRate', key: 'passRate', align: 'right' as const, render: percent },
];
const trendColumns = [
  { title: '月份', dataIndex: 'month', key: 'month' },
  { title: '检定次数', dataIndex: 'verifications', key: 'verifications', align: 'right' as const },
  { title: '合格次数', dataIndex: 'passed', key: 'passed', align: 'right' as const },
];

export default function DashboardPage() {
  const [data, setData] = useState<DashboardResponse | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback((signal?: AbortSignal) => {
    setError(null);
    api
      .dashboard(signal)
      .then(setData)
      .catch((err: Error) => {
        if (err.name !== 'AbortError') setError(err.message);
      });
  }, []);
  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const options = useMemo(
    () => (data ? { counts: countsOption(data.byIndustry), rates: ratesOption(data.byIndustry), trend: trendOption(data.trend) } : null),
    [data],
  );

  if (error)
    return (
      <Alert type="error" showIcon role="alert" title={`概览数据加载失败：${error}`} action={<Button onClick={() => load()}>重试</Button>} />
    );
  if (!data || !options) return <Loading label="正在加载概览数据…" />;
  const { totals } = data;

  return (
    <section aria-labelledby="dashboard-title">
      <Typography.Title level={2} id="dashboard-title" style={{ fontSize: 20 }}>
        {data.region.name} · 概览
      </Typography.Title>
      <Typography.Paragraph type="secondary">数据截至 {data.asOf}（北京时间）</Typography.Paragraph>
      <div className="dashboard__grid" data-testid="totals">
        <Card><Statistic title="经营者" value={totals.businesses} /></Card>
        <Card><Statistic title="计量器具" value={totals.instruments} /></Card>
        <Card><Statistic title="已检定" value={totals.verified} /></Card>
        <Card><Statistic title="检定合格" value={totals.passed} /></Card>
        <Card>
          <Link to="/instruments?due=overdue" data-testid="link-overdue" aria-label={`逾期未检 ${data.dueSoon.overdue} 台，查看清单`}>
            <Statistic title="逾期未检" value={data.dueSoon.overdue} suffix="台 →" />
          </Link>
        </Card>
        <Card>
          <Link to="/instruments?due=30" data-testid="link-expiring" aria-label={`30 天内到期 ${data.dueSoon.expiring} 台，查看清单`}>
            <Statistic title="30 天内到期" value={data.dueSoon.expiring} suffix="台 →" />
          </Link>
        </Card>
      </div>
      <div className="dashboard__charts">
        <Card title={<h3 className="card-title">各行业经营者与计量器具</h3>}>
          <Chart option={options.counts} label="柱状图：各行业经营者与计量器具数量，数字见下表" testId="chart-counts" />
          <div data-testid="table-counts"><Table size="small" rowKey="industry" pagination={false} dataSource={data.byIndustry} columns={industryColumns} /></div>
        </Card>
        <Card title={<h3 className="card-title">各行业检定率与合格率</h3>}>
          <Chart option={options.rates} label="柱状图：各行业检定率与合格率，数字见下表" testId="chart-rates" />
          <div data-testid="table-rates"><Table size="small" rowKey="industry" pagination={false} dataSource={data.byIndustry} columns={rateColumns} /></div>
        </Card>
        <Card title={<h3 className="card-title">近 12 个月检定趋势</h3>}>
          <Chart option={options.trend} label="折线图：近 12 个月每月检定次数与合格次数，数字见下表" testId="chart-trend" />
          <div data-testid="table-trend"><Table size="small" rowKey="month" pagination={false} dataSource={data.trend} columns={trendColumns} /></div>
        </Card>
      </div>
    </section>
  );
}
