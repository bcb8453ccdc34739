import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api/endpoints';
import { RequestError } from '../api/transport';
import { safeNext, useAuth } from '../auth/AuthContext';

interface LoginValues {
  username: string;
  password: string;
}

/** "30 秒", "2 分钟", "1 分 30 秒": how long a locked account must wait. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
}

/** The Chinese sentence a failed login shows. */
export function loginErrorText(error: unknown): string {
  if (!(error instanceof RequestError)) return '登录失败，请稍后再试';
  const wait = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return '用户名或密码错误，请重新输入';
    case 'LOGIN_LOCKED':
      return `密码错误次数过多，账号已暂时锁定，请 ${waitText(wait ?? 60)}后再试`;
    case 'RATE_LIMITED':
      return `登录尝试太频繁，请 ${waitText(wait ?? 60)}后再试`;
    case 'VALIDATION_FAILED':
      return '请填写用户名和密码';
    default:
      return error.message || '登录失败，请稍后再试';
  }
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
