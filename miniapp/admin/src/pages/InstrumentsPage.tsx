import { Alert, App, Button, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { CATEGORIES } from '@shared/catalogue';
import { api } from '../api/endpoints';
import { useUrlQuery } from '../urlQuery';
import type { StaffInstrument } from '../api/types';
import { useList } from '../api/useList';
import { useAuth } from '../auth/AuthContext';
import { RegionPicker } from '../components/RegionPicker';
import { LIFECYCLE_NAMES as STATUS_NAMES, VERIFICATION_NAMES, VERIFICATION_ORDER } from '../statusNames';
import { sortOrderOf, sortParamOf } from '../tableSort';
import { InstrumentDetail } from './InstrumentDetail';
import { InstrumentForm } from './InstrumentForm';

const DUE_NAMES: Record<string, string> = { overdue: '逾期未检', '30': '30 天内到期', '60': '60 天内到期', '90': '90 天内到期' };
const DUE_OPTIONS = Object.entries(DUE_NAMES).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = VERIFICATION_ORDER.map((s) => ({ value: s, label: VERIFICATION_NAMES[s] }));

interface Filters {
  code?: string;
  category?: string;
  region?: string;
  status?: string;
  due?: string;
}

/**
 * Instruments of the region, paginated on the server; filters live in the URL (the dashboard and
 * the business drawer link here), and so do the open drawer (`detail=<id>`) and form (`form=new`
 * or `form=<id>`), so a reload or a login round trip comes back to the same view.
 */
export default function InstrumentsPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const [params, set] = useUrlQuery();
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<StaffInstrument | null>(null);
  const [businessName, setBusinessName] = useState<string | null>(null);
  const detailParam = params.get('detail');
  const formParam = params.get('form');
  const businessParam = params.get('business');
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 20) || 20;
  const query = useMemo(
    () => ({
      page,
      pageSize,
      code: params.get('code') ?? undefined,
      business: businessParam ?? undefined,
      region: params.get('region') ?? undefined,
      category: params.get('category') ?? undefined,
      status: params.get('status') ?? undefined,
      due: params.get('due') ?? undefined,
      sort: params.get('sort') ?? undefined,
    }),
    [params, page, pageSize],
  );
  const { data, loading, error } = useList(api.instruments, query, reload);

  // `business=<id>`: the filter names the business it keeps.
  useEffect(() => {
    setBusinessName(null);
    if (!businessParam) return;
    let live = true;
    api.business(businessParam).then((b) => live && setBusinessName(b.name)).catch(() => live && setBusinessName('（未找到该经营者）'));
    return () => {
      live = false;
    };
  }, [businessParam]);

  // `form=<id>`: the instrument to edit, fetched (it carries every field the form needs).
  useEffect(() => {
    if (!formParam || formParam === 'new') return setEditing(null);
    let live = true;
    api.instrument(formParam).then((i) => live && setEditing(i)).catch(() => live && set({ form: undefined }));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [formParam]);
  const formOpen = formParam === 'new' || (formParam != null && editing?.id === formParam);
  const due = params.get('due');

  return (
    <section aria-labelledby="instruments-title">
      <Typography.Title level={2} id="instruments-title" style={{ fontSize: 20 }}>
        计量器具
      </Typography.Title>
      {due && (
        <Alert
          type="info"
          showIcon
          title={`筛选：${DUE_NAMES[due] ?? `${due} 天内到期`}`}
          action={<Button onClick={() => set({ due: undefined, page: undefined })}>清除筛选</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Form
        layout="vertical"
        className="filters"
        name="instrument-filters"
        initialValues={{
          code: params.get('code') ?? '',
          category: params.get('category') ?? undefined,
          region: params.get('region') ?? undefined,
          status: params.get('status') ?? undefined,
          due: params.get('due') ?? undefined,
        }}
        onFinish={(v: Filters) => set({ code: v.code?.trim(), category: v.category, region: v.region, status: v.status, due: v.due, page: undefined })}
      >
        <Form.Item label="识别码" name="code" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="器具类别" name="category" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 200 }} options={CATEGORIES.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Form.Item label="地区" name="region" style={{ marginBottom: 0, minWidth: 260 }}>
          <RegionPicker scopeCode={session?.user.regionCode} anyLevel placeholder="全部地区" />
        </Form.Item>
        <Form.Item label="检定状态" name="status" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 140 }} placeholder="全部" options={STATUS_OPTIONS} />
        </Form.Item>
        <Form.Item label="到期" name="due" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 140 }} placeholder="不限" options={DUE_OPTIONS} />
        </Form.Item>
        <Button type="primary" htmlType="submit">查询</Button>
        <Button onClick={() => set({ form: 'new' })} style={{ marginLeft: 'auto' }}>
          新建器具
        </Button>
      </Form>
      {businessParam && (
        <Alert
          type="info"
          showIcon
          title={`筛选：经营者 ${businessName ?? '…'}`}
          action={<Button onClick={() => set({ business: undefined, page: undefined })}>清除经营者筛选</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <div aria-live="polite" className="sr-status">{loading ? '正在加载…' : data ? `共 ${data.total} 台` : ''}</div>
      <Table<StaffInstrument>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action === 'sort') set({ sort: sortParamOf(sorter), page: undefined });
        }}
        columns={[
          {
            title: '识别码',
            dataIndex: 'code',
            key: 'code',
            sorter: true,
            sortOrder: sortOrderOf(params.get('sort'), 'code'),
            render: (code: string, i: StaffInstrument) => (
              <Button type="link" style={{ padding: 0, height: 'auto' }} onClick={() => set({ detail: i.id })} aria-label={`查看器具 ${code}`}>
                {code}
              </Button>
            ),
          },
          { title: '类别', dataIndex: 'categoryName', key: 'categoryName' },
          { title: '型号', dataIndex: 'model', key: 'model' },
          { title: '安装位置', dataIndex: 'installLocation', key: 'installLocation' },
          { title: '检定状态', dataIndex: 'verificationStatus', key: 'verificationStatus', render: (s: StaffInstrument['verificationStatus']) => <Tag>{VERIFICATION_NAMES[s] ?? s}</Tag> },
          { title: '有效期至', key: 'dueDate', sorter: true, sortOrder: sortOrderOf(params.get('sort'), 'dueDate'), render: (_: unknown, i: StaffInstrument) => i.latestVerification?.dueDate ?? '—' },
          { title: '使用状态', dataIndex: 'status', key: 'status', render: (s: StaffInstrument['status']) => STATUS_NAMES[s] ?? s },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, i: StaffInstrument) => (
              <Button type="link" onClick={() => set({ form: i.id })} aria-label={`编辑 ${i.code}`}>
                编辑
              </Button>
            ),
          },
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: data?.pageSize ?? pageSize,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 台`,
          onChange: (p) => set({ page: p }),
        }}
      />
      <InstrumentDetail
        id={detailParam}
        reload={reload}
        onClose={() => set({ detail: undefined })}
        onEdit={(i) => set({ form: i.id })}
        onChanged={() => setReload((n) => n + 1)}
      />
      <InstrumentForm
        open={formOpen}
        editing={formParam === 'new' ? null : editing}
        businessId={businessParam ?? undefined}
        onClose={() => set({ form: undefined })}
        onSaved={(i) => {
          message.success(`已保存：${i.code}`);
          set({ form: undefined });
          setReload((n) => n + 1);
        }}
      />
    </section>
  );
}
