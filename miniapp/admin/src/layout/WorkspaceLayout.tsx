import { Breadcrumb, Button, Layout, Menu, Space, Spin, Typography } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { regionName } from '@shared/regions';
import { useAuth } from '../auth/AuthContext';
import { ROLE_NAMES } from '../auth/roles';
import { screenAt, screensFor } from '../menu';

/** Side menu by role, breadcrumb, and a header with who is signed in, their role and region. */
export default function WorkspaceLayout() {
  const { session, signOut } = useAuth();
  const location = useLocation();
  if (!session) return null;
  const { user } = session;
  const screens = screensFor(user.role);
  const current = screenAt(location.pathname);
  const region = user.regionCode ? (regionName(user.regionCode) ?? user.regionCode) : '全部地区';

  return (
    <Layout className="workspace">
      <Layout.Sider width={200} theme="light" className="workspace__sider" breakpoint="lg" collapsedWidth={0}>
        <div className="workspace__brand">诚信计量公示</div>
        <nav aria-label="主菜单">
          <Menu
            mode="inline"
            selectedKeys={current ? [current.path] : []}
            items={screens.map((s) => ({ key: s.path, label: <Link to={s.path}>{s.title}</Link> }))}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header className="workspace__header">
          <Typography.Text strong className="workspace__product">
            监管工作台
          </Typography.Text>
          <div className="workspace__right">
            <Space size="middle" className="workspace__user" separator={<span aria-hidden="true" className="workspace__sep">·</span>}>
              <span data-testid="user-name">{user.displayName ?? '未命名用户'}</span>
              <span>
                角色：<span data-testid="user-role">{ROLE_NAMES[user.role]}</span>
              </span>
              <span>
                地区：<span data-testid="user-region">{region}</span>
              </span>
            </Space>
            <Button onClick={signOut} style={{ marginLeft: 16 }}>
              退出
            </Button>
          </div>
        </Layout.Header>
        <Layout.Content className="workspace__content">
          <Breadcrumb
            className="workspace__breadcrumb"
            items={[{ title: <Link to="/dashboard">工作台</Link> }, ...(current ? [{ title: current.title }] : [])]}
          />
          <main className="workspace__main">
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

export function Loading({ label = '正在加载…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <Spin />
      <span>{label}</span>
    </div>
  );
}
