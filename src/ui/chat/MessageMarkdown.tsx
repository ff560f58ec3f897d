/**
 * An agent's message rendered as Markdown (GFM), block by block: while a reply streams, only its
 * last block is parsed again per token; finished blocks are memoized. Raw HTML is never rendered
 * (react-markdown shows it as text; no rehype-raw), links open in a new tab without an opener or
 * referrer, and images become links: a shared chat must not make the page fetch anything.
 */
import { memo, useMemo, useState, type ReactNode } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { createBlockSplitter, type Block } from './blocks.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { parseFence } from './fence.ts';

const REMARK_PLUGINS = [remarkGfm];

type HastNode = NonNullable<ExtraProps['node']>;
type HastChild = HastNode['children'][number];

function textOf(node: HastChild | HastNode): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((child) => textOf(child)).join('') : '';
}

/** The info string of a `<pre><code class="language-x">` from Markdown: language, then the fence's meta. */
function infoOf(code: HastNode): string {
  const classes = code.properties.className;
  const language = Array.isArray(classes) ? classes.map(String).find((c) => c.startsWith('language-'))?.slice('language-'.length) : undefined;
  const meta = (code.data as { meta?: unknown } | undefined)?.meta;
  return [language ?? '', typeof meta === 'string' ? meta : ''].join(' ').trim();
}

/** Elements rendered differently from react-markdown's defaults; `blockKey` names code blocks. */
function components(blockKey: string, complete: boolean): Components {
  return {
    a: ({ node: _node, href, children, ...rest }) => (
      <a {...rest} href={href} target="_blank" rel="noopener noreferrer">
        {children}
      </a>
    ),
    img: ({ src, alt }) =>
      typeof src === 'string' && src ? (
        <a href={src} target="_blank" rel="noopener noreferrer" className="md-image-link">
          {alt ? `image: ${alt}` : 'image'}
        </a>
      ) : (
        <span>{alt}</span>
      ),
    table: ({ node: _node, ...rest }) => (
      <div className="md-table">
        <table {...rest} />
      </div>
    ),
    // Code nested in a list or a quote; top-level fences never reach the Markdown parser.
    pre: ({ node, children }): ReactNode => {
      const code = node?.children.find((c): c is HastNode => c.type === 'element' && c.tagName === 'code');
      if (!code) return <pre>{children}</pre>;
      const text = textOf(code).replace(/\n$/, '');
      return <CodeBlock blockKey={`${blockKey}:${node?.position?.start.offset ?? 0}`} info={infoOf(code)} code={text} complete={complete} />;
    },
  };
}

interface BlockProps {
  block: Block;
  blockKey: string;
  /** False for the block still streaming. */
  complete: boolean;
}

/** One top-level block; memoized, so a finished block is not parsed again while the reply streams. */
const MarkdownBlock = memo(function MarkdownBlock({ block, blockKey, complete }: BlockProps) {
  const custom = useMemo(() => components(blockKey, complete), [blockKey, complete]);
  if (block.kind === 'fence') {
    const fence = parseFence(block.text);
    return <CodeBlock blockKey={blockKey} info={fence.info} code={fence.code} complete={complete || fence.closed} />;
  }
  return (
    <Markdown remarkPlugins={REMARK_PLUGINS} components={custom}>
      {block.text}
    </Markdown>
  );
});

interface MessageMarkdownProps {
  /** Unique within the conversation and stable while the text streams (message id + offset). */
  id: string;
  text: string;
  /** The text is still growing. */
  streaming: boolean;
}

/** Markdown text of an agent message, split into blocks so streaming re-renders only the last one. */
export default function MessageMarkdown({ id, text, streaming }: MessageMarkdownProps) {
  // One splitter per message part (the component's key), reusing its blocks as text streams in.
  const [split] = useState(createBlockSplitter);
  const blocks = split(text, !streaming);
  return (
    <div className="md">
      {blocks.map((block, i) => (
        <MarkdownBlock key={block.start} block={block} blockKey={`${id}@${block.start}`} complete={!streaming || i < blocks.length - 1} />
      ))}
    </div>
  );
}
