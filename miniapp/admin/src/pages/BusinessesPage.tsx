import { Alert, Table, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import type { StaffBusiness } from '../api/types';
import { useList } from '../api/useList';

/** Businesses of the region, paginated on the server. */
export default function BusinessesPage() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const query = useMemo(() => ({ page, pageSize: 20 }), [page]);
  const { data, loading, error } = useList(api.businesses, query);
  return (
    <section aria-labelledby="businesses-title">
      <Typography.Title level={2} id="businesses-title" style={{ fontSize: 20 }}>
        经营者
      </Typography.Title>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Table<StaffBusiness>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        columns={[
          { title: '名称', dataIndex: 'name', key: 'name' },
          { title: '统一社会信用代码', dataIndex: 'creditCode', key: 'creditCode', render: (c: string | null, b) => c ?? b.platformId ?? '—' },
          { title: '行业', dataIndex: 'industryName', key: 'industryName' },
          { title: '地区', dataIndex: 'regionName', key: 'regionName' },
          { title: '状态', dataIndex: 'status', key: 'status', render: (s: string) => <Tag>{s === 'closed' ? '已歇业' : '营业中'}</Tag> },
        ]}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, showSizeChanger: false, showTotal: (t) => `共 ${t} 家`, onChange: (p) => setParams({ page: String(p) }) }}
      />
    </section>
  );
}
