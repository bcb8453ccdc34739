import { Alert, Card, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api/endpoints';

interface Props {
  instrument: { id: string; code: string } | null;
  /** Where it comes from, said under the image: 已选的第一台 / 筛选结果的第一台. */
  caption: string;
}

/**
 * One label as the sheet prints it (the PNG the BFF draws), fetched with the token and shown
 * from a blob URL: an <img src> cannot send the Authorization header.
 */
export function LabelPreview({ instrument, caption }: Props) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = instrument?.id;

  useEffect(() => {
    setSrc(null);
    setError(null);
    if (!id) return;
    const ctrl = new AbortController();
    let url: string | null = null;
    api
      .labelImage(id, 'png', ctrl.signal)
      .then((res) => res.blob())
      .then((blob) => {
        url = URL.createObjectURL(blob);
        setSrc(url);
      })
      .catch((err: Error) => err.name !== 'AbortError' && setError(err.message));
    return () => {
      ctrl.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [id]);

  return (
    <Card size="small" title={<h3 className="card-title">标签预览</h3>} style={{ width: 360 }}>
      {!instrument ? (
        <p className="labels__muted">没有可预览的器具。</p>
      ) : error ? (
        <Alert type="error" showIcon role="alert" title={`预览加载失败：${error}`} />
      ) : (
        <figure className="labels__preview">
          {src ? (
            <img src={src} alt={`识别码 ${instrument.code} 的标签`} className="labels__preview-image" />
          ) : (
            <div className="labels__preview-image labels__preview-pending" aria-busy="true" aria-live="polite">
              <Spin /> 正在生成预览…
            </div>
          )}
          <figcaption className="labels__muted">
            {caption}：{instrument.code}
          </figcaption>
        </figure>
      )}
    </Card>
  );
}
