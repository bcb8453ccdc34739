import { Alert, Table, Tag, Typography } from 'antd';
import type { ListResponse, Role, StaffUserView } from '@shared/api';
import { request, type Query } from '../api/transport';
import { useList } from '../api/useList';
import { ROLE_NAMES } from '../auth/roles';

type UserRow = StaffUserView;

const loadUsers = (query: Query, signal: AbortSignal) => request<ListResponse<UserRow>>('/admin/users', { query, signal });
const FIRST_PAGE = { page: 1, pageSize: 50 };

/** Admins: staff accounts. Creating and disabling accounts come with a later slice. */
export default function UsersPage() {
  const { data, loading, error } = useList<UserRow>(loadUsers, FIRST_PAGE);
  return (
    <section aria-labelledby="users-title">
      <Typography.Title level={2} id="users-title" style={{ fontSize: 20 }}>
        用户
      </Typography.Title>
      {error && <Alert type="error" showIcon role="alert" title={`用户列表加载失败：${error}`} style={{ marginBottom: 16 }} />}
      <Table<UserRow>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username', key: 'username' },
          { title: '名称', dataIndex: 'displayName', key: 'displayName' },
          { title: '角色', dataIndex: 'role', key: 'role', render: (r: Role) => ROLE_NAMES[r] ?? r },
          { title: '地区 / 机构', key: 'scope', render: (_: unknown, u: UserRow) => u.regionName ?? u.regionCode ?? u.institution ?? '—' },
          { title: '状态', dataIndex: 'disabled', key: 'disabled', render: (d: boolean) => <Tag>{d ? '已停用' : '正常'}</Tag> },
        ]}
      />
    </section>
  );
}
