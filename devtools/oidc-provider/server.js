// A local OpenID Connect provider for tests and the demo: node's certified `oidc-provider`,
// configured like HelseID (staff) or like ID-porten (citizens). One provider per invocation.
//
//   node server.js --profile helseid|idporten --port 9100 --issuer http://127.0.0.1:9100 \
//       --clients clients.json --accounts accounts.json [--keys jwks.json]
//
// clients.json: a JSON list of client metadata (oidc-provider's names): client_id,
//   redirect_uris, post_logout_redirect_uris, jwks (the client's PUBLIC keys for
//   private_key_jwt). Missing fields get the profile's defaults.
// accounts.json: a JSON list of {"username", "sub"?, "acr"?, "claims": {claim: value}}. The
//   login form asks for a username from this list (no password). The account's `acr` is the
//   level the provider claims, so a test can sign in with a level that is too low.
// jwks.json: the provider's PRIVATE signing keys ({"keys": [...]}, each with a kid). Without
//   it a fresh RSA key is generated at start. Key rotation = restart with another file.
// Listens on 127.0.0.1 only. Everything (sessions, grants) lives in memory.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    profile: { type: 'string', default: 'helseid' },
    port: { type: 'string', default: '9100' },
    issuer: { type: 'string' },
    clients: { type: 'string' },
    accounts: { type: 'string' },
    keys: { type: 'string' },
    'id-token-ttl': { type: 'string', default: '600' },
  },
});

const profile = args.profile;
if (!['helseid', 'idporten'].includes(profile)) {
  console.error(`unknown --profile ${profile} (helseid or idporten)`);
  process.exit(2);
}
if (!args.clients || !args.accounts) {
  console.error('--clients FILE and --accounts FILE are required');
  process.exit(2);
}
const port = Number(args.port);
const issuer = args.issuer || `http://127.0.0.1:${port}`;

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

// Re-read at every look-up so a running provider sees accounts a test adds.
function accounts() {
  return readJson(args.accounts);
}

function accountBy(field, value) {
  return accounts().find((account) => (account[field] ?? account.username) === value);
}

function signingKeys() {
  if (args.keys) {
    return readJson(args.keys);
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return { keys: [{ ...jwk, kid: `generated-${randomUUID()}`, use: 'sig', alg: 'RS256' }] };
}

const PROFILES = {
  helseid: {
    scopes: [
      'openid', 'profile', 'offline_access',
      'helseid://scopes/identity/pid',
      'helseid://scopes/identity/hpr_number',
      'helseid://scopes/identity/security_level',
      'helseid://scopes/identity/assurance_level',
    ],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name'],
      'helseid://scopes/identity/pid': ['helseid://claims/identity/pid'],
      'helseid://scopes/identity/hpr_number': ['helseid://claims/hpr/hpr_number'],
      'helseid://scopes/identity/security_level': ['helseid://claims/identity/security_level'],
      'helseid://scopes/identity/assurance_level': ['helseid://claims/identity/assurance_level'],
    },
    acrValues: [],
    requirePar: true,
    dpopNonce: true,
  },
  idporten: {
    scopes: ['openid', 'profile'],
    claims: {
      openid: ['sub', 'pid'],
      profile: ['name', 'given_name', 'family_name'],
    },
    acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
    requirePar: false,
    dpopNonce: false,
  },
};
const settings = PROFILES[profile];

function clientDefaults(client) {
  return {
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    ...client,
  };
}

function page(title, body) {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem}
label,input,button{display:block;font-size:1rem;margin:.5rem 0}
input{padding:.4rem;width:100%}button{padding:.5rem 1rem}</style></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

const profileLabel = profile === 'helseid' ? 'HelseID (lokal testleverandør)'
  : 'ID-porten (lokal testleverandør)';

const configuration = {
  clients: readJson(args.clients).map(clientDefaults),
  jwks: signingKeys(),
  scopes: settings.scopes,
  claims: settings.claims,
  acrValues: settings.acrValues,
  conformIdTokenClaims: false, // the identity claims go in the ID token, as in HelseID
  cookies: { keys: [randomBytes(32).toString('hex')] },
  pkce: { required: () => true },
  ttl: {
    IdToken: Number(args['id-token-ttl']),
    AccessToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  features: {
    devInteractions: { enabled: false },
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: settings.requirePar },
    dPoP: settings.dpopNonce
      ? { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true }
      : { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Logg ut', `${form}<p>Vil du logge ut hos ${profileLabel}?</p>
<button type="submit" form="op.logoutForm" name="logout" value="yes">Ja, logg ut</button>
<button type="submit" form="op.logoutForm">Nei</button>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Logget ut', '<p>Du er logget ut.</p>');
      },
    },
  },
  interactions: {
    url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  async findAccount(_ctx, sub) {
    const account = accountBy('sub', sub);
    if (!account) {
      return undefined;
    }
    return {
      accountId: sub,
      async claims() {
        return { sub, ...account.claims };
      },
    };
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Feil', `<pre>${escapeHtml(JSON.stringify(out, null, 2))}</pre>`);
  },
};

const provider = new Provider(issuer, configuration);
provider.proxy = false;

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

// The login UI: a form asking for a username from the accounts file; consent is granted at
// login (the grant covers what the client asked for), so no consent page is shown.
provider.use(async (ctx, next) => {
  const match = /^\/interaction\/([^/]+)(\/login)?$/.exec(ctx.path);
  if (!match) {
    await next();
    return;
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (ctx.method === 'GET') {
    if (details.prompt.name === 'consent') {
      await finishWithGrant(ctx, details, details.session.accountId, undefined);
      return;
    }
    ctx.type = 'html';
    ctx.body = loginForm(details.uid, '');
    return;
  }
  if (ctx.method === 'POST' && match[2]) {
    const form = await readForm(ctx.req);
    const username = (form.get('username') || '').trim();
    const account = accounts().find((a) => a.username === username);
    if (!account) {
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = loginForm(details.uid, `Ukjent bruker: ${escapeHtml(username)}`);
      return;
    }
    await finishWithGrant(ctx, details, account.sub ?? account.username, account);
    return;
  }
  ctx.status = 405;
});

function loginForm(uid, error) {
  const message = error ? `<p role="alert">${error}</p>` : '';
  return page(`Logg inn – ${profileLabel}`, `${message}
<form method="post" action="/interaction/${uid}/login">
<label for="username">Brukernavn</label>
<input id="username" name="username" autocomplete="username" autofocus required>
<button type="submit">Logg inn</button></form>`);
}

async function finishWithGrant(ctx, details, accountId, account) {
  const { params } = details;
  let grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (!grant) {
    grant = new provider.Grant({ accountId, clientId: params.client_id });
  }
  grant.addOIDCScope(String(params.scope || 'openid'));
  const grantId = await grant.save();
  const result = { consent: { grantId } };
  if (account) {
    result.login = { accountId, acr: account.acr, amr: ['pwd'] };
  }
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.respond = false;
}

provider.on('server_error', (_ctx, err) => console.error('server_error', err));

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider (${profile}) listening on ${issuer}`);
});

function stop() {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
