import { Alert, App, Button, Card, Popconfirm, Progress, Result, Space, Spin, Table, Tag, Typography, Upload } from 'antd';
import type { ImportReport, ImportRowError } from '@shared/api';
import { CATEGORIES } from '@shared/catalogue';
import { useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../api/endpoints';
import { downloadCsv, parseCsv } from '../csv';
import { isBusy, resetImport, startImport, useImportState, type ImportState } from './import/importStore';
import { COLUMN_HELP, columnText, errorReportCsv, goodRowCount, templateCsv } from './import/report';

const ACCEPT = '.csv,text/csv';

/** Hands a picked file to the import and keeps antd from uploading it itself. */
const pick = (partial = false) => (file: File) => {
  void startImport(file, partial);
  return Upload.LIST_IGNORE;
};

/**
 * CSV import of instruments: pick a file, watch it upload, then either the count imported or
 * every bad row (line, column, reason) with an error report to download, a fixed file to upload
 * again, or the good rows alone to import. The upload lives in importStore, not in this page.
 */
export default function ImportPage() {
  const state = useImportState();
  return (
    <section aria-labelledby="import-title">
      <Typography.Title level={2} id="import-title" style={{ fontSize: 20 }}>
        批量导入计量器具
      </Typography.Title>
      <Upload.Dragger accept={ACCEPT} multiple={false} showUploadList={false} beforeUpload={pick()} disabled={isBusy(state)} className="import__dragger">
        <p className="import__drop-title">点击选择或将 CSV 文件拖到此处</p>
        <p className="import__drop-hint">UTF-8 或 GBK 编码，第一行为列名，一次最多 5000 行、5 MB</p>
      </Upload.Dragger>
      {/* A short sentence for screen readers; refusals are alerts of their own, the table is not read out. */}
      <div className="sr-status" aria-live="polite">
        {liveText(state)}
      </div>
      <div className="import__status">
        <StatusView state={state} />
      </div>
      <FileFormat />
    </section>
  );
}

function FileFormat() {
  const { message } = App.useApp();
  const [preparing, setPreparing] = useState(false);
  const downloadTemplate = async () => {
    setPreparing(true);
    try {
      // The example row names a real business of the user's region, so the template imports as it is.
      const first = (await api.businesses({ page: 1, pageSize: 1 })).items[0];
      downloadCsv('计量器具导入模板.csv', templateCsv(first ? (first.creditCode ?? first.platformId ?? first.id) : '91370102MA00000000'));
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setPreparing(false);
    }
  };
  return (
    <Card
      title={<h3 className="card-title">文件格式</h3>}
      extra={
        <Button onClick={downloadTemplate} loading={preparing}>
          下载模板
        </Button>
      }
      style={{ marginBottom: 16 }}
    >
      <p className="import__lead">
        CSV 文件，第一行为列名（英文，顺序不限），此后每行一台器具。必填列：business、category。有错误的文件不会导入任何数据，可下载错误报告修改后重新上传，或只导入正确的行。
      </p>
      <Table
        size="small"
        rowKey="column"
        pagination={false}
        dataSource={COLUMN_HELP}
        columns={[
          { title: '列名', dataIndex: 'column', key: 'column', render: (c: string) => <code>{c}</code> },
          { title: '必填', dataIndex: 'required', key: 'required', render: (r: boolean) => (r ? '必填' : '可选') },
          { title: '内容', dataIndex: 'help', key: 'help' },
        ]}
      />
      <details className="import__categories">
        <summary>器具类别代码（category 列）</summary>
        <ul>
          {CATEGORIES.map((c) => (
            <li key={c.id}>
              <code>{c.id}</code> 或 <code>{c.code}</code>：{c.name}
            </li>
          ))}
        </ul>
      </details>
    </Card>
  );
}

function liveText(state: ImportState): string {
  if (state.phase === 'uploading') return `正在上传 ${state.file.name}`;
  if (state.phase === 'working') return state.partial ? '正在导入…' : '正在校验…';
  if (state.phase === 'done') return `已导入 ${state.report.imported} 台计量器具`;
  return '';
}

function StatusView({ state }: { state: ImportState }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'invalid':
      return <Alert type="error" showIcon role="alert" title="无法上传该文件" description={state.message} />;
    case 'uploading': {
      const percent = state.total ? Math.floor((state.loaded / state.total) * 100) : 0;
      return (
        <Card>
          <p id="upload-progress-label">
            正在上传 {state.file.name}：{percent}%
          </p>
          <Progress percent={percent} aria-labelledby="upload-progress-label" />
        </Card>
      );
    }
    case 'working':
      return (
        <Card>
          <div className="loading">
            <Spin />
            <span>{state.partial ? '正在导入…' : '正在校验…'}（{state.file.name}，请勿关闭页面）</span>
          </div>
        </Card>
      );
    case 'failed':
      return (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={`${state.file.name} 未能导入`}
          description={state.error.message}
          action={
            state.error.status === 0 || state.error.status === 401 || state.error.status >= 429 ? (
              <Button onClick={() => void startImport(state.file, state.partial)}>重新上传</Button>
            ) : undefined
          }
        />
      );
    case 'rejected':
      return <Rejected file={state.file} text={state.text} report={state.report} />;
    case 'done':
      return <Done file={state.file} text={state.text} report={state.report} />;
  }
}

function Rejected({ file, text, report }: { file: File; text: string | null; report: ImportReport }) {
  const good = goodRowCount(report);
  const badLines = report.failed - good;
  return (
    <Card>
      <Alert
        type="warning"
        showIcon
        role="alert"
        title={`${file.name} 中有 ${badLines} 行有错误（共 ${report.errors.length} 处），未导入任何数据`}
        description={`文件共 ${report.failed} 行数据，其中 ${good} 行正确。请修改后重新上传，或只导入正确的行。`}
        style={{ marginBottom: 16 }}
      />
      <Space wrap style={{ marginBottom: 16 }}>
        <ReportButton fileName={file.name} errors={report.errors} text={text} />
        <Upload accept={ACCEPT} multiple={false} showUploadList={false} beforeUpload={pick()}>
          <Button type="primary">修改后重新上传</Button>
        </Upload>
        <Popconfirm
          title={`仅导入正确的 ${good} 行？`}
          description={`有错误的 ${badLines} 行不会导入，可稍后修改后单独导入。`}
          okText="导入"
          cancelText="取消"
          onConfirm={() => void startImport(file, true)}
          disabled={good === 0}
        >
          <Button disabled={good === 0}>仅导入正确的 {good} 行</Button>
        </Popconfirm>
      </Space>
      <ErrorTable errors={report.errors} text={text} caption="有错误的行" />
    </Card>
  );
}

function Done({ file, text, report }: { file: File; text: string | null; report: ImportReport }) {
  const navigate = useNavigate();
  const businesses = [...new Set(report.items.map((i) => i.businessId))];
  // The list can filter by one business; several go to the whole list (newest first).
  const listPath = businesses.length === 1 ? `/instruments?business=${businesses[0]}` : '/instruments';
  const skipped = new Set(report.errors.map((e) => e.line)).size;
  return (
    <Card>
      <Result
        status="success"
        title={<h3 className="import__result-title">已导入 {report.imported} 台计量器具</h3>}
        subTitle={`文件 ${file.name}${skipped ? `；有错误的 ${skipped} 行未导入` : ''}`}
        extra={[
          <Button key="list" type="primary" onClick={() => navigate(listPath)}>
            {businesses.length === 1 ? '查看导入的器具' : '查看计量器具'}
          </Button>,
          <Button key="again" onClick={resetImport}>
            继续导入
          </Button>,
        ]}
      />
      {report.errors.length > 0 && (
        <>
          <Space style={{ marginBottom: 16 }}>
            <ReportButton fileName={file.name} errors={report.errors} text={text} />
          </Space>
          <ErrorTable errors={report.errors} text={text} caption="未导入的行" />
        </>
      )}
    </Card>
  );
}

function ReportButton({ fileName, errors, text }: { fileName: string; errors: readonly ImportRowError[]; text: string | null }) {
  return <Button onClick={() => downloadCsv(`${fileName.replace(/\.csv$/i, '')}-错误报告.csv`, errorReportCsv(errors, text))}>下载错误报告</Button>;
}

function ErrorTable({ errors, text, caption }: { errors: readonly ImportRowError[]; text: string | null; caption: ReactNode }) {
  // Each error's own cell from the file, when its text could be read.
  const cellOf = useMemo(() => {
    const records = text ? parseCsv(text) : [];
    const byLine = new Map(records.slice(1).map((r) => [r.line, r.cells]));
    return (e: ImportRowError) => (text && e.columnNumber ? (byLine.get(e.line)?.[e.columnNumber - 1] ?? '') : undefined);
  }, [text]);
  // One row can hold the same error twice (two external codes both repeated), so rows are keyed by position.
  const rows = useMemo(() => errors.map((e, key) => ({ ...e, key })), [errors]);
  const cellText = (cell: string | undefined) =>
    cell === undefined ? '—' : cell === '' ? <Tag>空</Tag> : <code title={cell.length > 60 ? cell : undefined}>{cell.length > 60 ? `${cell.slice(0, 60)}…` : cell}</code>;
  return (
    <Table<ImportRowError & { key: number }>
      size="small"
      rowKey="key"
      dataSource={rows}
      title={() => <h4 className="import__table-title">{caption}</h4>}
      columns={[
        { title: '行号', dataIndex: 'line', key: 'line', width: 80 },
        { title: '列', key: 'column', width: 240, render: (_: unknown, e) => columnText(e) },
        { title: '内容', key: 'cell', width: 240, render: (_: unknown, e) => cellText(cellOf(e)) },
        { title: '原因', dataIndex: 'message', key: 'message' },
      ]}
      pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false, showTotal: (t) => `共 ${t} 处错误` }}
    />
  );
}
