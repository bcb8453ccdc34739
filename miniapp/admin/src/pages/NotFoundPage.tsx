import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';

export default function NotFoundPage({ forbidden = false }: { forbidden?: boolean }) {
  const navigate = useNavigate();
  return (
    <Result
      status={forbidden ? '403' : '404'}
      title={forbidden ? '无权访问' : '页面不存在'}
      subTitle={forbidden ? '这个页面只对管理员开放。' : '请从左侧菜单选择要打开的页面。'}
      extra={<Button type="primary" onClick={() => navigate('/dashboard')}>回到概览</Button>}
    />
  );
}
