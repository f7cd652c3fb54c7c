// The login picker: one button per demo identity, each asking the dev issuer for a token.
import { h, notify, replace } from '../dom.js';
import { t } from '../i18n.js';
import { DEMO_IDENTITIES, login } from '../session.js';

export function renderLogin(root, { navigate }) {
  replace(
    root,
    h(
      'section',
      { class: 'login panel' },
      h('h2', {}, t('login.title')),
      h(
        'ul',
        { class: 'identities' },
        DEMO_IDENTITIES.map((identity) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                class: 'identity',
                dataset: { identity: identity.key },
                onclick: async () => {
                  try {
                    await login(identity);
                    navigate('#/');
                  } catch (error) {
                    notify(`${t('login.failed')}: ${error.message}`, 'error');
                  }
                },
              },
              h('strong', {}, t(identity.label)),
              h('span', { class: 'muted' }, `${identity.sub} · ${identity.roles.map((r) => t(`role.${r}`)).join(', ')}${identity.states.length ? ` · ${identity.states.join(', ')}` : ''}`),
            ),
          ),
        ),
      ),
      h('p', { class: 'muted' }, t('login.note')),
    ),
  );
  return () => undefined;
}
