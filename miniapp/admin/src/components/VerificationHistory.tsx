import { Alert, Button, Table, Tag } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import type { AdminVerificationItem } from '@shared/api';
import { api } from '../api/endpoints';
import { useList } from '../api/useList';
import { RESULT_NAMES } from '../statusNames';

interface Props {
  /** Whose history: a business's (every instrument of it) or one instrument's. */
  scope: { business: string } | { instrumentId: string };
  /** Changes when the history may have changed (after a save). */
  reload?: number;
  /** The table's name, as the screen reader announces its loading and count. */
  label: string;
}

const PAGE_SIZE = 10;

/** A verification history from GET /admin/verifications, newest first, one server page at a time. */
export function VerificationHistory({ scope, reload = 0, label }: Props) {
  const [page, setPage] = useState(1);
  const [retry, setRetry] = useState(0);
  const query = useMemo(() => ({ ...scope, page, pageSize: PAGE_SIZE }), [scope, page]);
  const load = useCallback((q: Parameters<typeof api.verifications>[0], signal: AbortSignal) => api.verifications(q, signal), []);
  const { data, loading, error } = useList<AdminVerificationItem>(load, query, reload + retry);
  const perInstrument = 'instrumentId' in scope;

  return (
    <div role="region" aria-label={label}>
      <div aria-live="polite" className="sr-status">
        {loading ? `正在加载${label}…` : data ? `${label}共 ${data.total} 条` : ''}
      </div>
      {error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={`${label}加载失败：${error}`}
          action={<Button onClick={() => setRetry((n) => n + 1)}>重试</Button>}
          style={{ marginBottom: 12 }}
        />
      )}
      <Table<AdminVerificationItem>
        rowKey="id"
        size="small"
        aria-label={label}
        loading={loading}
        scroll={{ x: 'max-content' }}
        dataSource={data?.items ?? []}
        locale={{ emptyText: error ? '未能加载' : '暂无检定记录' }}
        columns={[
          { title: '检定日期', dataIndex: 'date', key: 'date', className: 'nowrap' },
          ...(perInstrument
            ? []
            : [
                { title: '器具识别码', key: 'code', className: 'nowrap', render: (_: unknown, v: AdminVerificationItem) => v.instrument.code },
                { title: '类别', key: 'category', render: (_: unknown, v: AdminVerificationItem) => v.instrument.categoryName },
              ]),
          { title: '结论', dataIndex: 'result', key: 'result', className: 'nowrap', render: (r: AdminVerificationItem['result']) => <Tag>{RESULT_NAMES[r] ?? r}</Tag> },
          { title: '有效期至', dataIndex: 'dueDate', key: 'dueDate', className: 'nowrap', render: (d: string | null) => d ?? '—' },
          { title: '检定机构', dataIndex: 'institution', key: 'institution' },
          { title: '证书编号', dataIndex: 'certificateNo', key: 'certificateNo', className: 'nowrap' },
          ...(perInstrument ? [{ title: '版本', dataIndex: 'revision', key: 'revision', render: (n: number) => (n > 1 ? `第 ${n} 版（已更正）` : `第 ${n} 版`) }] : []),
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (t) => `共 ${t} 条`,
          onChange: setPage,
        }}
      />
    </div>
  );
}
