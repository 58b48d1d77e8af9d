/**
 * The widget's whole style sheet. It lives in the shadow root, so page CSS cannot reach in and
 * these selectors cannot leak out; `--accent`/`--on-accent` come from the line's brand colour.
 */
export const WIDGET_CSS = `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;color-scheme:light;-webkit-font-smoothing:antialiased}
svg{fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round;flex:none}
button{font:inherit;color:inherit;cursor:pointer}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border:0;border-radius:50%;background:var(--accent);color:var(--on-accent);display:grid;place-items:center;box-shadow:0 6px 20px rgba(0,0,0,.22);transition:transform .15s ease}
.launcher:hover{transform:scale(1.06)}
.launcher:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:370px;height:min(640px,calc(100vh - 120px));display:flex;flex-direction:column;background:#f8fafc;border-radius:16px;overflow:hidden;box-shadow:0 12px 48px rgba(0,0,0,.25);animation:ol-in .18s ease-out}
@keyframes ol-in{from{opacity:0;transform:translateY(12px)}}
.header{display:flex;align-items:center;gap:12px;padding:16px 12px 16px 20px;background:var(--accent);color:var(--on-accent)}
.heading{flex:1;min-width:0}
h2{margin:0;font-size:17px;font-weight:650;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.status{margin:2px 0 0;font-size:12.5px;opacity:.9;display:flex;align-items:center;gap:6px}
.dot{width:8px;height:8px;border-radius:50%;background:#9ca3af;box-shadow:0 0 0 2px rgba(255,255,255,.6)}
.status.online .dot{background:#22c55e}
.icon-btn{display:grid;place-items:center;width:36px;height:36px;border:0;border-radius:10px;background:transparent}
.header .icon-btn:hover{background:rgba(127,127,127,.2)}
.header :focus-visible{outline-color:var(--on-accent)}
.banner{margin:0;padding:8px 16px;font-size:13px;border-bottom:1px solid #e5e7eb}
.offline{background:#fff7ed;color:#9a3412}
.link{background:#eff6ff;color:#1e40af;text-align:center}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:2px;overscroll-behavior:contain}
.log:focus-visible{outline-offset:-2px}
.items{display:flex;flex-direction:column;gap:2px}
.msg{display:flex;flex-direction:column;max-width:80%;margin-top:6px}
.msg.mine{align-self:flex-end;align-items:flex-end}
.msg.theirs{align-self:flex-start;align-items:flex-start}
.author{font-size:12px;color:#6b7280;margin:4px 0 2px 4px}
.bubble{padding:9px 13px;border-radius:16px;overflow-wrap:anywhere;display:flex;flex-direction:column;gap:6px}
.mine .bubble{background:var(--accent);color:var(--on-accent);border-bottom-right-radius:4px}
.theirs .bubble{background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:4px}
.pending .bubble{opacity:.7}
.failed .bubble{opacity:.6}
.text{margin:0;white-space:pre-wrap}
.bubble a{color:inherit;text-decoration:underline}
.file{display:inline-flex;align-items:center;gap:6px}
.image img{display:block;min-width:48px;min-height:48px;max-width:220px;max-height:220px;border-radius:10px;background:#e5e7eb}
.meta{font-size:11px;color:#6b7280;margin:2px 4px 0}
.retry{border:0;background:none;padding:2px 4px;font-size:12px;color:#b91c1c;text-decoration:underline}
.typing{margin:8px 4px 0;min-height:1.4em;font-size:12.5px;color:#6b7280;font-style:italic}
.composer{border-top:1px solid #e5e7eb;background:#fff;padding:8px 8px 10px}
.row{display:flex;align-items:flex-end;gap:4px}
textarea{flex:1;resize:none;border:0;background:transparent;font:inherit;color:inherit;padding:8px 6px;max-height:120px}
textarea:focus,textarea:focus-visible{outline:none}
.row:focus-within{box-shadow:inset 0 0 0 2px color-mix(in srgb,var(--accent) 35%,transparent);border-radius:10px}
.attach{color:#6b7280}
.attach:hover{color:#111827}
.send{color:var(--accent)}
.send:disabled{color:#cbd5e1;cursor:default}
.notice{margin:0 4px 6px;padding:6px 10px;border-radius:8px;background:#fef2f2;color:#b91c1c;font-size:13px}
.prechat{padding:16px 20px 20px;background:#fff;border-top:1px solid #e5e7eb;display:flex;flex-direction:column;gap:10px}
.intro{margin:0;color:#4b5563}
label{display:flex;flex-direction:column;gap:4px;font-weight:600;font-size:13px}
label small{font-weight:400;color:#6b7280;font-size:12px}
input{font:inherit;font-weight:400;padding:9px 11px;border:1px solid #d1d5db;border-radius:8px;background:#fff;color:inherit}
input:focus{outline:2px solid var(--accent);outline-offset:-1px;border-color:transparent}
input[aria-invalid=true]{border-color:#dc2626}
.field-error{font-weight:400;color:#b91c1c;font-size:12.5px}
.primary{margin-top:4px;padding:10px;border:0;border-radius:10px;background:var(--accent);color:var(--on-accent);font-weight:600}
.primary:disabled{opacity:.6;cursor:default}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border-radius:0}
.root.open .launcher{display:none}
}
@media (prefers-reduced-motion:reduce){.panel{animation:none}.launcher{transition:none}}
.rating { padding: 8px 16px 12px; text-align: center; border-top: 1px solid #e5e7eb; }
.rating-prompt { margin: 4px 0 6px; font-size: 14px; }
.rating-stars { display: flex; justify-content: center; gap: 4px; }
.star { border: 0; background: none; font-size: 26px; line-height: 1; color: #d1d5db; cursor: pointer; padding: 2px 4px; border-radius: 6px; }
.star:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.rating-stars:hover .star { color: var(--accent); }
.rating-stars .star:hover ~ .star { color: #d1d5db; }
.star:disabled { opacity: .5; cursor: default; }
.rating-result { margin: 6px 0 0; font-size: 13px; color: #374151; }
.offline-contact { padding: 8px 16px; background: #fffbeb; border-bottom: 1px solid #fde68a; font-size: 13px; }
.offline-contact p { margin: 0 0 6px; }
.offline-contact .row { display: flex; gap: 6px; }
.offline-contact input { flex: 1; min-width: 0; padding: 6px 8px; border: 1px solid #d1d5db; border-radius: 6px; font: inherit; }
.offline-contact button { padding: 6px 10px; }
`;
