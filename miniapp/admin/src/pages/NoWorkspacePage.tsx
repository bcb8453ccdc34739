import { Button, Result } from 'antd';
import { useAuth } from '../auth/AuthContext';
import { ROLE_NAMES } from '../auth/roles';

/** Verifiers, business owners and the public sign in fine but have no workspace here. */
export default function NoWorkspacePage() {
  const { session, signOut } = useAuth();
  const role = session?.user.role;
  const verifier = role === 'verifier';
  return (
    <main className="no-workspace">
      <Result
        status="info"
        title="此账号没有监管工作台"
        subTitle={
          verifier
            ? '检定机构账号通过接口（API 密钥）提交检定结果，不使用监管工作台。如需查看本机构提交的记录，请联系所在地的市场监管部门。'
            : `当前账号的角色是「${role ? ROLE_NAMES[role] : '未知'}」，监管工作台只对监管人员和管理员开放。`
        }
        extra={<Button type="primary" onClick={signOut}>退出并换个账号登录</Button>}
      />
    </main>
  );
}
