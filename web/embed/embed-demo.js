// embed-demo.html's script: logs what the playgrounds say and commands the iframe.
const log = document.getElementById('log');
const say = (who, type, detail) => {
  const line = document.createElement('div');
  line.textContent = `${who}: ${type} ${JSON.stringify(detail)}`;
  log.prepend(line);
};
for (const el of document.querySelectorAll('raft-playground')) {
  for (const type of ['raft-leader', 'raft-commit', 'raft-violation', 'raft-scenario-end']) {
    el.addEventListener(type, (e) => say(el.id, type, e.detail));
  }
}
addEventListener('message', (e) => {
  if (e.data?.source === 'raft-playground') say('iframe', e.data.type, e.data.detail);
});
const frame = document.getElementById('frame');
document.getElementById('play').onclick = () => frame.contentWindow.postMessage({ target: 'raft-playground', type: 'play' }, '*');
document.getElementById('pause').onclick = () => frame.contentWindow.postMessage({ target: 'raft-playground', type: 'pause' }, '*');
