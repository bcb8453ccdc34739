import { Alert, Table, Tag, Typography } from 'antd';
import { api } from '../api/endpoints';
import type { ApiKeyView } from '../api/types';
import { useList } from '../api/useList';

const NO_QUERY = {};
const loadKeys = (_q: unknown, signal: AbortSignal) => api.apiKeys(signal);
const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : '—');

/** Admins: the verification institutions' API keys (issuing and revoking come with a later slice). */
export default function ApiKeysPage() {
  const { data, loading, error } = useList<ApiKeyView>(loadKeys, NO_QUERY);
  return (
    <section aria-labelledby="keys-title">
      <Typography.Title level={2} id="keys-title" style={{ fontSize: 20 }}>
        API 密钥
      </Typography.Title>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginBottom: 16 }} />}
      <Table<ApiKeyView>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name', key: 'name' },
          { title: '检定机构', dataIndex: 'institution', key: 'institution' },
          { title: '前缀', dataIndex: 'prefix', key: 'prefix' },
          { title: '签发日期', dataIndex: 'createdAt', key: 'createdAt', render: day },
          { title: '最近使用', dataIndex: 'lastUsedAt', key: 'lastUsedAt', render: day },
          { title: '状态', key: 'state', render: (_: unknown, k: ApiKeyView) => (k.revokedAt ? <Tag>已吊销 {day(k.revokedAt)}</Tag> : <Tag>有效</Tag>) },
        ]}
      />
    </section>
  );
}
