import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import { useAuth } from '../auth/AuthContext';
import { loginErrorText } from '../auth/loginErrors';
import { safeNext } from '../auth/next';

interface LoginValues {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { session, signIn } = useAuth();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const next = safeNext(params.get('next'));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const expired = Boolean((location.state as { expired?: boolean } | null)?.expired) || params.has('next');

  if (session) return <Navigate to={next} replace />;

  const onFinish = async (values: LoginValues) => {
    setBusy(true);
    setError(null);
    try {
      signIn(await api.login(values.username.trim(), values.password));
      navigate(next, { replace: true });
    } catch (err) {
      setError(loginErrorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <Card className="login__card">
        <Typography.Title level={1} className="login__title">
          诚信计量公示 · 监管工作台
        </Typography.Title>
        <Typography.Paragraph className="login__hint">监管人员和管理员请使用账号密码登录。</Typography.Paragraph>
        {expired && !error && (
          <Alert className="login__alert" type="info" showIcon title="登录已过期或尚未登录，请登录后继续，之前的页面和填写的内容会保留。" />
        )}
        <div aria-live="assertive">{error && <Alert className="login__alert" type="error" showIcon role="alert" title={error} />}</div>
        <Form<LoginValues> name="login" layout="vertical" requiredMark={false} onFinish={onFinish} disabled={busy}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录
          </Button>
        </Form>
      </Card>
    </main>
  );
}
