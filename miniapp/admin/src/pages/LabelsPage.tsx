import { Alert, App, Button, Form, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CATEGORIES } from '@shared/catalogue';
import { LABEL_SHEET_IN_PROGRESS } from '@shared/requests/instruments';
import { api } from '../api/endpoints';
import { RequestError } from '../api/transport';
import type { StaffInstrument } from '../api/types';
import { useList } from '../api/useList';
import { useAuth } from '../auth/AuthContext';
import { RegionPicker } from '../components/RegionPicker';
import { BusinessSelect } from './labels/BusinessSelect';
import { LabelPreview } from './labels/LabelPreview';
import { downloadSheet, saveBlob, type SheetProgress } from './labels/sheet';

const PAGE_SIZE = 20;
/** Chosen ids travel in the sheet's URL (25 characters each): 500 stay well inside a URL's limits. */
export const MAX_SELECTION = 500;
/** The most labels one sheet holds (LabelSheetQuery's limit). */
const MAX_SHEET = 5000;

const STATUS_OPTIONS = [
  { value: 'unverified', label: '未检定（新登记）' },
  { value: 'overdue', label: '逾期未检' },
  { value: 'expiring', label: '即将到期（30 天内）' },
  { value: 'valid', label: '有效' },
  { value: 'failed', label: '检定不合格' },
];
const LIFECYCLE_OPTIONS = [
  { value: 'in_use', label: '在用' },
  { value: 'suspended', label: '停用' },
];
const VERIFICATION_NAMES: Record<StaffInstrument['verificationStatus'], string> = {
  valid: '有效',
  expiring: '即将到期',
  overdue: '逾期未检',
  failed: '检定不合格',
  unverified: '未检定',
  suspended: '停用',
};

type Download =
  | { phase: 'idle' }
  | ({ phase: 'running' } & SheetProgress)
  | { phase: 'done'; fileName: string; url: string; labels: number; pagesDone: number }
  | { phase: 'failed'; message: string };

function failureText(err: unknown): string {
  if (err instanceof RequestError && err.status === 429) {
    const details = (err.details ?? {}) as { retryAfterSeconds?: number; reason?: string };
    const seconds = details.retryAfterSeconds ?? 10;
    return details.reason === LABEL_SHEET_IN_PROGRESS ? `另一份标签正在生成，请 ${seconds} 秒后再试` : `打印次数太多，请 ${seconds} 秒后再试`;
  }
  return err instanceof Error ? err.message : '下载失败，请重试';
}

/**
 * Printing labels: instruments chosen by the list's filters (in the URL) or ticked in the table
 * (kept across pages, at most 500), one label previewed, the A4 sheet downloaded with the pages
 * received shown against the pages the BFF announced, and saved as 标签-<date>.pdf.
 */
export default function LabelsPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const filters = useMemo(
    () => ({
      business: params.get('business') ?? undefined,
      category: params.get('category') ?? undefined,
      region: params.get('region') ?? undefined,
      status: params.get('status') ?? undefined,
      lifecycle: params.get('lifecycle') ?? 'in_use',
    }),
    [params],
  );
  const listQuery = useMemo(() => ({ ...filters, page, pageSize: PAGE_SIZE, sort: 'code' }), [filters, page]);
  const { data, loading, error } = useList(api.instruments, listQuery);
  const [selected, setSelected] = useState<Map<string, StaffInstrument>>(() => new Map());
  const [download, setDownload] = useState<Download>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);

  const set = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(params);
      for (const [k, v] of Object.entries(changes)) (v === undefined || v === '' ? next.delete(k) : next.set(k, v));
      next.delete('page');
      setParams(next);
    },
    [params, setParams],
  );
  const onBusiness = useCallback((business: string | undefined) => set({ business }), [set]);

  // `ids=<id,…>` (an instrument drawer's 打印标签): those instruments start out ticked.
  const idsParam = params.get('ids');
  useEffect(() => {
    const ids = (idsParam ?? '').split(',').filter((id) => /^[0-9a-f]{24}$/i.test(id)).slice(0, MAX_SELECTION);
    if (!ids.length) return;
    let live = true;
    Promise.all(ids.map((id) => api.instrument(id).catch(() => null))).then((found) => {
      if (live) setSelected(new Map(found.filter((i): i is StaffInstrument => i != null).map((i) => [i.id, i])));
    });
    return () => {
      live = false;
    };
  }, [idsParam]);

  // A saved file's URL lives until the next download or until the page closes; a running one stops.
  const doneUrl = download.phase === 'done' ? download.url : null;
  useEffect(() => () => void (doneUrl && URL.revokeObjectURL(doneUrl)), [doneUrl]);
  useEffect(() => () => abort.current?.abort(), []);

  const selection = [...selected.values()];
  const bySelection = selection.length > 0;
  const total = data?.total ?? 0;
  const labelCount = bySelection ? selection.length : total;
  const sheetQuery = bySelection ? { ids: selection.map((i) => i.id).join(','), limit: MAX_SELECTION } : { ...filters, limit: MAX_SHEET };
  const previewed = selection[0] ?? data?.items[0] ?? null;

  const blocked =
    download.phase === 'running'
      ? '正在生成，完成或取消后可再次下载'
      : !bySelection && loading
        ? '正在统计数量…'
        : labelCount === 0
          ? '没有可打印的器具：请调整筛选条件或勾选器具'
          : !bySelection && total > MAX_SHEET
            ? `一次最多打印 ${MAX_SHEET} 张，请按经营者、类别或地区缩小范围`
            : null;

  const onSelect = (keys: React.Key[], rows: StaffInstrument[]) => {
    const next = new Map<string, StaffInstrument>();
    for (const key of keys) {
      const row = selected.get(String(key)) ?? rows.find((r) => r?.id === key);
      if (row && next.size < MAX_SELECTION) next.set(row.id, row);
    }
    if (keys.length > MAX_SELECTION) message.warning(`最多选择 ${MAX_SELECTION} 台器具（标签编号随下载地址发送），已保留前 ${MAX_SELECTION} 台；更多请用筛选条件打印`);
    setSelected(next);
  };

  async function start() {
    abort.current?.abort();
    const ctrl = new AbortController();
    abort.current = ctrl;
    setDownload({ phase: 'running', pagesDone: 0, pages: 0, labels: labelCount });
    try {
      const sheet = await downloadSheet(sheetQuery, ctrl.signal, (p) => setDownload({ phase: 'running', ...p }));
      const url = saveBlob(sheet.blob, sheet.fileName);
      setDownload({ phase: 'done', fileName: sheet.fileName, url, labels: sheet.labels, pagesDone: sheet.pagesDone });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') setDownload({ phase: 'failed', message: '已取消下载' });
      else setDownload({ phase: 'failed', message: failureText(err) });
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  }

  const percent = download.phase === 'running' && download.pages ? Math.round((download.pagesDone / download.pages) * 100) : 0;
  const progressText = download.phase === 'running' ? (download.pages ? `已接收 ${download.pagesDone} / ${download.pages} 页（${download.labels} 张标签）` : '正在连接…') : '';

  return (
    <section aria-labelledby="labels-title">
      <Typography.Title level={2} id="labels-title" style={{ fontSize: 20 }}>
        标签打印
      </Typography.Title>
      <Form layout="vertical" className="filters" component="div">
        <Form.Item label="经营者" htmlFor="labels-business" style={{ marginBottom: 0 }}>
          <BusinessSelect id="labels-business" value={filters.business} onChange={onBusiness} region={filters.region} />
        </Form.Item>
        <Form.Item label="器具类别" htmlFor="labels-category" style={{ marginBottom: 0 }}>
          <Select
            id="labels-category"
            allowClear
            placeholder="全部类别"
            style={{ width: 180 }}
            value={filters.category}
            onChange={(category?: string) => set({ category })}
            options={CATEGORIES.map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item label="地区" htmlFor="labels-region" style={{ marginBottom: 0, width: 260 }}>
          <RegionPicker id="labels-region" anyLevel scopeCode={session?.user.regionCode} value={filters.region} onChange={(region) => set({ region })} />
        </Form.Item>
        <Form.Item label="检定状态" htmlFor="labels-status" style={{ marginBottom: 0 }}>
          <Select id="labels-status" allowClear placeholder="全部" style={{ width: 180 }} value={filters.status} onChange={(status?: string) => set({ status })} options={STATUS_OPTIONS} />
        </Form.Item>
        <Form.Item label="使用状态" htmlFor="labels-lifecycle" style={{ marginBottom: 0 }}>
          <Select id="labels-lifecycle" style={{ width: 120 }} value={filters.lifecycle} onChange={(lifecycle: string) => set({ lifecycle: lifecycle === 'in_use' ? undefined : lifecycle })} options={LIFECYCLE_OPTIONS} />
        </Form.Item>
      </Form>

      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}

      <div className="labels__top">
        <LabelPreview instrument={previewed} caption={bySelection ? '已选的第一台' : '筛选结果的第一台'} />
        <div className="labels__print">
          <p className="labels__summary" aria-live="polite">
            {bySelection ? (
              <>
                将打印已勾选的 <strong>{selection.length}</strong> 台器具的标签（共 {Math.ceil(selection.length / 24)} 页 A4，每页 24 张）
              </>
            ) : loading ? (
              '正在统计数量…'
            ) : (
              <>
                按筛选条件共 <strong>{total}</strong> 张标签{total > 0 ? `（${Math.ceil(total / 24)} 页 A4，每页 24 张；报废器具不打印）` : '（报废器具不打印）'}
              </>
            )}
          </p>
          <Space wrap>
            <Button type="primary" onClick={start} disabled={blocked != null} aria-describedby={blocked ? 'labels-blocked' : undefined}>
              下载标签 PDF
            </Button>
            {download.phase === 'running' && <Button onClick={() => abort.current?.abort()}>取消</Button>}
            {bySelection && download.phase !== 'running' && <Button onClick={() => setSelected(new Map())}>清除选择（{selection.length}）</Button>}
          </Space>
          {blocked && download.phase !== 'running' && (
            <p id="labels-blocked" className="labels__muted">
              {blocked}
            </p>
          )}
          <div aria-live="polite" className="labels__progress">
            {download.phase === 'running' && (
              <>
                <Progress percent={percent} status="active" aria-label="标签 PDF 下载进度（按已接收的页数）" aria-valuetext={progressText} />
                <p>{progressText}</p>
              </>
            )}
            {download.phase === 'done' && (
              // Not antd's success Alert: its background derived from the theme's dark green leaves links under 4.5:1.
              <div className="labels__done" role="status">
                <span aria-hidden="true">✓ </span>
                已下载 {download.fileName}：{download.labels} 张标签，{download.pagesDone} 页。
                <a href={download.url} download={download.fileName}>
                  再次保存
                </a>
              </div>
            )}
            {download.phase === 'failed' && <Alert type={download.message === '已取消下载' ? 'info' : 'error'} showIcon role="alert" title={download.message} />}
          </div>
        </div>
      </div>

      <Typography.Title level={3} style={{ fontSize: 16 }}>
        器具（勾选后只打印勾选的，最多 {MAX_SELECTION} 台，翻页保留）
      </Typography.Title>
      <div aria-live="polite" className="sr-status">{loading ? '正在加载…' : data ? `共 ${data.total} 台` : ''}</div>
      <Table<StaffInstrument>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data?.items ?? []}
        rowSelection={{
          selectedRowKeys: selection.map((i) => i.id),
          preserveSelectedRowKeys: true,
          onChange: onSelect,
          getCheckboxProps: (i) => ({ 'aria-label': `选择 ${i.code}` }),
        }}
        columns={[
          { title: '识别码', dataIndex: 'code', key: 'code' },
          { title: '类别', dataIndex: 'categoryName', key: 'categoryName' },
          { title: '型号', dataIndex: 'model', key: 'model' },
          { title: '安装位置', dataIndex: 'installLocation', key: 'installLocation' },
          { title: '检定状态', dataIndex: 'verificationStatus', key: 'verificationStatus', render: (s: StaffInstrument['verificationStatus']) => <Tag>{VERIFICATION_NAMES[s] ?? s}</Tag> },
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: PAGE_SIZE,
          total,
          showSizeChanger: false,
          showTotal: (n) => `共 ${n} 台`,
          onChange: (p) => {
            const next = new URLSearchParams(params);
            next.set('page', String(p));
            setParams(next);
          },
        }}
      />
    </section>
  );
}
