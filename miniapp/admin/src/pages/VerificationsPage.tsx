import { Alert, Button, DatePicker, Form, Input, Select, Table, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { scopePrefix } from '@shared/regions';
import { api } from '../api/endpoints';
import type { AdminVerificationItem } from '../api/types';
import { useList } from '../api/useList';
import { useAuth } from '../auth/AuthContext';
import { RegionPicker } from '../components/RegionPicker';

const PAGE_SIZE = 20;
const DAY = 'YYYY-MM-DD';
const RESULT_NAMES: Record<AdminVerificationItem['result'], string> = { pass: '合格', fail: '不合格' };

interface FilterValues {
  result?: string;
  institution?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  instrument?: string;
  region?: string;
}

const day = (s: string | null) => (s && dayjs(s, DAY, true).isValid() ? dayjs(s, DAY) : null);

/**
 * What verifiers posted about the instruments of the caller's region, newest first, paginated
 * and filtered on the server (结论, 检定机构, a date range, the instrument's code, a region
 * inside the caller's). Filters and page live in the URL; the code links to the instrument list.
 */
export default function VerificationsPage() {
  const { session } = useAuth();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const region = params.get('region') ?? undefined;
  const query = useMemo(
    () => ({
      page,
      pageSize: PAGE_SIZE,
      result: params.get('result') ?? undefined,
      institution: params.get('institution') ?? undefined,
      from: params.get('from') ?? undefined,
      to: params.get('to') ?? undefined,
      instrument: params.get('instrument') ?? undefined,
      // The picker holds a 6-digit code (370100 = 济南市); the API filters by its prefix (3701).
      region: region ? (scopePrefix(region) ?? region) : undefined,
    }),
    [params, page, region],
  );
  const { data, loading, error } = useList(api.verifications, query);
  const set = (changes: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v === undefined || v === '' ? next.delete(k) : next.set(k, String(v)));
    setParams(next);
  };
  const filtered = ['result', 'institution', 'from', 'to', 'instrument', 'region'].some((k) => params.has(k));

  return (
    <section aria-labelledby="verifications-title">
      <Typography.Title level={2} id="verifications-title" style={{ fontSize: 20 }}>
        检定记录
      </Typography.Title>
      <Form<FilterValues>
        layout="vertical"
        className="filters"
        name="verification-filters"
        initialValues={{
          result: params.get('result') ?? undefined,
          institution: params.get('institution') ?? '',
          dates: params.get('from') || params.get('to') ? [day(params.get('from')), day(params.get('to'))] : null,
          instrument: params.get('instrument') ?? '',
          region,
        }}
        onFinish={(v) =>
          set({
            result: v.result,
            institution: v.institution?.trim(),
            from: v.dates?.[0]?.format(DAY),
            to: v.dates?.[1]?.format(DAY),
            instrument: v.instrument?.trim(),
            region: v.region,
            page: undefined,
          })
        }
      >
        <Form.Item label="结论" name="result" style={{ marginBottom: 0 }}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder="全部"
            options={Object.entries(RESULT_NAMES).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item label="检定机构" name="institution" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 200 }} placeholder="机构名称的一部分" />
        </Form.Item>
        <Form.Item label="检定日期" name="dates" style={{ marginBottom: 0 }}>
          <DatePicker.RangePicker allowEmpty={[true, true]} placeholder={['开始日期', '结束日期']} style={{ width: 260 }} />
        </Form.Item>
        <Form.Item label="器具编码" name="instrument" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 220 }} placeholder="平台识别码或外部编码" />
        </Form.Item>
        <Form.Item label="地区" name="region" style={{ marginBottom: 0, minWidth: 240 }}>
          <RegionPicker scopeCode={session?.user.regionCode} anyLevel placeholder="全部地区" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={`检定记录加载失败：${error}`} style={{ marginBottom: 16 }} />}
      <div aria-live="polite" className="sr-status">
        {loading ? '正在加载…' : data ? `共 ${data.total} 条检定记录` : ''}
      </div>
      <Table<AdminVerificationItem>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        size="middle"
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: error ? '加载失败，请稍后重试' : filtered ? '没有符合筛选条件的检定记录' : '辖区内还没有检定记录' }}
        columns={[
          { title: '检定日期', dataIndex: 'date', key: 'date' },
          {
            title: '器具编码',
            key: 'code',
            render: (_: unknown, v) => (
              <Link to={`/instruments?code=${encodeURIComponent(v.instrument.code)}`} aria-label={`在计量器具中查看 ${v.instrument.code}`}>
                <code>{v.instrument.code}</code>
              </Link>
            ),
          },
          { title: '类别', key: 'category', render: (_: unknown, v) => v.instrument.categoryName },
          { title: '经营者', key: 'business', render: (_: unknown, v) => v.business.name || '—' },
          { title: '地区', dataIndex: 'regionName', key: 'regionName' },
          {
            title: '结论',
            dataIndex: 'result',
            key: 'result',
            render: (r: AdminVerificationItem['result']) => (r === 'fail' ? <Tag color="error">不合格</Tag> : <Tag>合格</Tag>),
          },
          { title: '有效期至', dataIndex: 'dueDate', key: 'dueDate', render: (d: string | null) => d ?? '—' },
          { title: '检定机构', dataIndex: 'institution', key: 'institution' },
          { title: '证书编号', dataIndex: 'certificateNo', key: 'certificateNo' },
          { title: '修订', dataIndex: 'revision', key: 'revision', render: (n: number) => (n > 1 ? `第 ${n} 版` : '—') },
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p) => set({ page: p }),
        }}
      />
    </section>
  );
}
