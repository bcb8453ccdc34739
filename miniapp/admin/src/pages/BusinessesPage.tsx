import { Alert, App, Button, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { INDUSTRIES } from '@shared/catalogue';
import { api } from '../api/endpoints';
import { useUrlQuery } from '../urlQuery';
import type { StaffBusiness } from '../api/types';
import { useList } from '../api/useList';
import { useAuth } from '../auth/AuthContext';
import { RegionPicker } from '../components/RegionPicker';
import { BusinessDetail } from './BusinessDetail';
import { BusinessForm } from './BusinessForm';
import { BUSINESS_STATUS_NAMES } from '../statusNames';
import { sortOrderOf, sortParamOf } from '../tableSort';

const PAGE_SIZE = 20;

/**
 * Businesses of the region: paginated, filtered and searched on the server; filters, page and
 * the open form (`form=new` or `form=<id>`) live in the URL, so a reload or a login round trip
 * comes back to the same view.
 */
const BUSINESS_STATUS_OPTIONS = Object.entries(BUSINESS_STATUS_NAMES).map(([value, label]) => ({ value, label }));

export default function BusinessesPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const [params, set] = useUrlQuery();
  const [reload, setReload] = useState(0);
  const [editing, setEditing] = useState<StaffBusiness | null>(null);
  const page = Number(params.get('page') ?? 1) || 1;
  const formParam = params.get('form');
  const detailParam = params.get('detail');
  const navigate = useNavigate();
  const scopeCode = session?.user.regionCode;

  const query = useMemo(
    () => ({
      page,
      pageSize: PAGE_SIZE,
      q: params.get('q') ?? undefined,
      industry: params.get('industry') ?? undefined,
      region: params.get('region') ?? undefined,
      status: params.get('status') ?? undefined,
      sort: params.get('sort') ?? undefined,
    }),
    [params, page],
  );
  const { data, loading, error } = useList(api.businesses, query, reload);


  // `form=<id>`: the business to edit (from this page's rows, or fetched when the page was opened by URL).
  useEffect(() => {
    if (!formParam || formParam === 'new') return setEditing(null);
    const row = data?.items.find((b) => b.id === formParam);
    if (row) return setEditing(row);
    let live = true;
    api.business(formParam).then((b) => live && setEditing(b)).catch(() => live && set({ form: undefined }));
    return () => {
      live = false;
    };
  }, [formParam, data, set]);

  const formOpen = formParam === 'new' || (formParam != null && editing?.id === formParam);

  return (
    <section aria-labelledby="businesses-title">
      <Typography.Title level={2} id="businesses-title" style={{ fontSize: 20 }}>
        经营者
      </Typography.Title>
      <Form
        layout="vertical"
        className="filters"
        name="business-filters"
        initialValues={{ q: params.get('q') ?? '', industry: params.get('industry') ?? undefined, region: params.get('region') ?? undefined, status: params.get('status') ?? undefined }}
        onFinish={(v: { q?: string; industry?: string; region?: string; status?: string }) =>
          set({ q: v.q?.trim(), industry: v.industry, region: v.region, status: v.status, page: undefined })
        }
      >
        <Form.Item label="名称或信用代码" name="q" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 240 }} />
        </Form.Item>
        <Form.Item label="行业" name="industry" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 160 }} options={INDUSTRIES.map((i) => ({ value: i.id, label: i.name }))} placeholder="全部行业" />
        </Form.Item>
        <Form.Item label="地区" name="region" style={{ marginBottom: 0, minWidth: 260 }}>
          <RegionPicker scopeCode={scopeCode} anyLevel placeholder="全部地区" />
        </Form.Item>
        <Form.Item label="状态" name="status" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 120 }} placeholder="全部" options={BUSINESS_STATUS_OPTIONS} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
        <Button onClick={() => set({ form: 'new' })} style={{ marginLeft: 'auto' }}>
          新建经营者
        </Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <div aria-live="polite" className="sr-status">
        {loading ? '正在加载…' : data ? `共 ${data.total} 家` : ''}
      </div>
      <Table<StaffBusiness>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        onChange={(_pagination, _filters, sorter, extra) => {
          if (extra.action === 'sort') set({ sort: sortParamOf(sorter), page: undefined });
        }}
        columns={[
          {
            title: '名称',
            dataIndex: 'name',
            key: 'name',
            sorter: true,
            sortOrder: sortOrderOf(params.get('sort'), 'name'),
            render: (name: string, b: StaffBusiness) => (
              <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => set({ detail: b.id })} aria-label={`查看 ${name}`}>
                {name}
              </Button>
            ),
          },
          { title: '统一社会信用代码', dataIndex: 'creditCode', key: 'creditCode', render: (c: string | null, b) => c ?? b.platformId ?? '—' },
          { title: '行业', dataIndex: 'industryName', key: 'industryName' },
          { title: '地区', dataIndex: 'regionName', key: 'regionName' },
          { title: '状态', dataIndex: 'status', key: 'status', render: (s: StaffBusiness['status']) => <Tag>{BUSINESS_STATUS_NAMES[s]}</Tag> },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, b) => (
              <Button type="link" onClick={() => set({ form: b.id })} aria-label={`编辑 ${b.name}`}>
                编辑
              </Button>
            ),
          },
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 家`,
          onChange: (p) => set({ page: p }),
        }}
      />
      <BusinessDetail
        id={detailParam}
        reload={reload}
        onClose={() => set({ detail: undefined })}
        onEdit={(b) => set({ form: b.id })}
        onNewInstrument={(b) => navigate(`/instruments?business=${b.id}&form=new`)}
      />
      <BusinessForm
        open={formOpen}
        editing={formParam === 'new' ? null : editing}
        scopeCode={scopeCode}
        onClose={() => set({ form: undefined })}
        onSaved={(b) => {
          message.success(`已保存：${b.name}`);
          set({ form: undefined });
          setReload((n) => n + 1);
        }}
      />
    </section>
  );
}
