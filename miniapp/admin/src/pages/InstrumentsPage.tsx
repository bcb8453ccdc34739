import { Alert, Button, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CATEGORIES } from '@shared/catalogue';
import { api } from '../api/endpoints';
import type { StaffInstrument } from '../api/types';
import { useList } from '../api/useList';

const STATUS_NAMES: Record<StaffInstrument['status'], string> = { in_use: '在用', suspended: '停用', retired: '报废' };
const VERIFICATION_NAMES: Record<StaffInstrument['verificationStatus'], string> = {
  valid: '有效',
  expiring: '即将到期',
  overdue: '逾期未检',
  failed: '检定不合格',
  unverified: '未检定',
  suspended: '停用',
};
const DUE_NAMES: Record<string, string> = { overdue: '逾期未检', '30': '30 天内到期' };

/** Instruments of the region, paginated on the server; filters live in the URL (the dashboard links here). */
export default function InstrumentsPage() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const pageSize = Number(params.get('pageSize') ?? 20) || 20;
  const query = useMemo(
    () => ({
      page,
      pageSize,
      code: params.get('code') ?? undefined,
      category: params.get('category') ?? undefined,
      status: params.get('status') ?? undefined,
      due: params.get('due') ?? undefined,
    }),
    [params, page, pageSize],
  );
  const { data, loading, error } = useList(api.instruments, query);
  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
    setParams(next);
  };
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
        initialValues={{ code: params.get('code') ?? '', category: params.get('category') ?? undefined }}
        onFinish={(v: { code?: string; category?: string }) => set({ code: v.code?.trim(), category: v.category, page: undefined })}
      >
        <Form.Item label="识别码" name="code" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="器具类别" name="category" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 200 }} options={CATEGORIES.map((c) => ({ value: c.id, label: c.name }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit">查询</Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <div aria-live="polite" className="sr-status">{loading ? '正在加载…' : data ? `共 ${data.total} 台` : ''}</div>
      <Table<StaffInstrument>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={[
          { title: '识别码', dataIndex: 'code', key: 'code' },
          { title: '类别', dataIndex: 'categoryName', key: 'categoryName' },
          { title: '型号', dataIndex: 'model', key: 'model' },
          { title: '安装位置', dataIndex: 'installLocation', key: 'installLocation' },
          { title: '检定状态', dataIndex: 'verificationStatus', key: 'verificationStatus', render: (s: StaffInstrument['verificationStatus']) => <Tag>{VERIFICATION_NAMES[s] ?? s}</Tag> },
          { title: '有效期至', key: 'dueDate', render: (_: unknown, i: StaffInstrument) => i.latestVerification?.dueDate ?? '—' },
          { title: '使用状态', dataIndex: 'status', key: 'status', render: (s: StaffInstrument['status']) => STATUS_NAMES[s] ?? s },
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
    </section>
  );
}
