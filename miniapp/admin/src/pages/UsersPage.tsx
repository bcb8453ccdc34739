import { Alert, App, Button, Form, Input, Popconfirm, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { StaffUserView } from '@shared/api';
import { STAFF_ROLES } from '@shared/requests/users';
import { api } from '../api/endpoints';
import { useUrlQuery } from '../urlQuery';
import { useList } from '../api/useList';
import { useAuth } from '../auth/AuthContext';
import { USER_ROLE_NAMES } from '../forms/user';
import { ResetPasswordModal } from './users/ResetPasswordModal';
import { UserForm } from './users/UserForm';

const PAGE_SIZE = 20;
const SELF_DISABLE = '不能停用自己的账号';

/**
 * Admins: staff accounts, listed, filtered and searched on the server (role, 启用/停用, name).
 * Create a regulator with the region they supervise, a verifier with their institution, or an
 * admin; disable and enable accounts, reset a password, edit name and region or institution.
 * Filters, page and the open form (`form=new` or `form=<id>`) live in the URL.
 */
export default function UsersPage() {
  const { session } = useAuth();
  const { message } = App.useApp();
  const [params, set] = useUrlQuery();
  const [reload, setReload] = useState(0);
  const [resetting, setResetting] = useState<StaffUserView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const page = Number(params.get('page') ?? 1) || 1;
  const formParam = params.get('form');

  const query = useMemo(
    () => ({ page, pageSize: PAGE_SIZE, q: params.get('q') ?? undefined, role: params.get('role') ?? undefined, disabled: params.get('disabled') ?? undefined }),
    [params, page],
  );
  const { data, loading, error } = useList(api.users, query, reload);


  // `form=<id>`: an account of this page (there is no single-account endpoint; another page's id is dropped).
  const editing = formParam && formParam !== 'new' ? (data?.items.find((u) => u.id === formParam) ?? null) : null;
  useEffect(() => {
    if (formParam && formParam !== 'new' && data && !loading && !editing) set({ form: undefined });
  }, [formParam, data, loading, editing, set]);
  const formOpen = formParam === 'new' || editing != null;

  const setDisabled = async (user: StaffUserView, disabled: boolean) => {
    setFailure(null);
    try {
      await api.updateUser(user.id, { disabled });
      message.success(`${disabled ? '已停用' : '已启用'}：${user.username}`);
      setReload((n) => n + 1);
    } catch (err) {
      setFailure((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="users-title">
      <Typography.Title level={2} id="users-title" style={{ fontSize: 20 }}>
        用户
      </Typography.Title>
      <Form
        layout="vertical"
        className="filters"
        name="user-filters"
        initialValues={{ q: params.get('q') ?? '', role: params.get('role') ?? undefined, disabled: params.get('disabled') ?? undefined }}
        onFinish={(v: { q?: string; role?: string; disabled?: string }) => set({ q: v.q?.trim(), role: v.role, disabled: v.disabled, page: undefined })}
      >
        <Form.Item label="用户名或名称" name="q" style={{ marginBottom: 0 }}>
          <Input allowClear style={{ width: 220 }} />
        </Form.Item>
        <Form.Item label="角色" name="role" style={{ marginBottom: 0 }}>
          <Select allowClear style={{ width: 140 }} placeholder="全部角色" options={STAFF_ROLES.map((r) => ({ value: r, label: USER_ROLE_NAMES[r] }))} />
        </Form.Item>
        <Form.Item label="状态" name="disabled" style={{ marginBottom: 0 }}>
          <Select
            allowClear
            style={{ width: 120 }}
            placeholder="全部"
            options={[
              { value: 'false', label: '启用' },
              { value: 'true', label: '停用' },
            ]}
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          查询
        </Button>
        <Button onClick={() => set({ form: 'new' })} style={{ marginLeft: 'auto' }}>
          新建用户
        </Button>
      </Form>
      {error && <Alert type="error" showIcon role="alert" title={`用户列表加载失败：${error}`} style={{ marginBottom: 16 }} />}
      {failure && <Alert type="error" showIcon role="alert" title={failure} closable={{ onClose: () => setFailure(null) }} style={{ marginBottom: 16 }} />}
      <div aria-live="polite" className="sr-status">
        {loading ? '正在加载…' : data ? `共 ${data.total} 个账号` : ''}
      </div>
      <Table<StaffUserView>
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: error ? '加载失败' : '没有符合条件的账号' }}
        columns={[
          { title: '用户名', dataIndex: 'username', key: 'username' },
          { title: '名称', dataIndex: 'displayName', key: 'displayName', render: (n: string | null) => n ?? '—' },
          { title: '角色', dataIndex: 'role', key: 'role', render: (r: StaffUserView['role']) => USER_ROLE_NAMES[r] ?? r },
          { title: '辖区 / 检定机构', key: 'scope', render: (_: unknown, u) => u.regionName ?? u.regionCode ?? u.institution ?? '—' },
          {
            title: '状态',
            dataIndex: 'disabled',
            key: 'disabled',
            render: (d: boolean) => <Tag>{d ? '已停用' : '已启用'}</Tag>,
          },
          { title: '最近登录', dataIndex: 'lastLoginAt', key: 'lastLoginAt', render: (t: string | null) => (t ? new Date(t).toLocaleString('zh-CN', { hour12: false }) : '—') },
          {
            title: '操作',
            key: 'actions',
            render: (_: unknown, u) => {
              const self = u.id === session?.user.id;
              return (
                <Space size={0} wrap>
                  <Button type="link" onClick={() => set({ form: u.id })} aria-label={`编辑 ${u.username}`}>
                    编辑
                  </Button>
                  <Button type="link" onClick={() => setResetting(u)} aria-label={`重置密码：${u.username}`}>
                    重置密码
                  </Button>
                  {u.disabled ? (
                    <Popconfirm
                      title={`启用 ${u.username}？`}
                      description="启用后该账号可以重新登录。"
                      okText="启用"
                      cancelText="取消"
                      onConfirm={() => setDisabled(u, false)}
                    >
                      <Button type="link" aria-label={`启用 ${u.username}`}>
                        启用
                      </Button>
                    </Popconfirm>
                  ) : self ? (
                    <Tooltip title={SELF_DISABLE}>
                      <Button type="link" disabled aria-label={`停用 ${u.username}（${SELF_DISABLE}）`}>
                        停用
                      </Button>
                    </Tooltip>
                  ) : (
                    <Popconfirm
                      title={`停用 ${u.username}？`}
                      description="停用后该账号立即不能再使用工作台和接口，可随时重新启用。"
                      okText="停用"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => setDisabled(u, true)}
                    >
                      <Button type="link" aria-label={`停用 ${u.username}`}>
                        停用
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              );
            },
          },
        ]}
        pagination={{
          current: data?.page ?? page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (t) => `共 ${t} 个账号`,
          onChange: (p) => set({ page: p }),
        }}
      />
      <UserForm
        open={formOpen}
        editing={editing}
        onClose={() => set({ form: undefined })}
        onSaved={(u, created) => {
          message.success(`${created ? '已创建' : '已保存'}：${u.username}`);
          set({ form: undefined });
          setReload((n) => n + 1);
        }}
      />
      <ResetPasswordModal
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={(u) => {
          message.success(`已重置 ${u.username} 的密码，请把新密码告知本人`);
          setResetting(null);
          setReload((n) => n + 1);
        }}
      />
    </section>
  );
}
