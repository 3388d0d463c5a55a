/**
 * Sample content of generated legacy chats (Engagement History). Like the messaging texts, deliberately
 * mixed: agent lines in the html text type (as LivePerson's agent console sends them), with markup now and
 * then, url lines, rich-content cards, private ONLY_TO_REP lines, and visitor text that must be escaped.
 */

export const VISITOR_CHAT_LINES = [
  'Hi, is anyone there?',
  'I cannot log in to my account since this morning.',
  'Where is my order #B-20417?',
  'مرحبا، هل يمكنك مساعدتي؟',
  'こんにちは、パスワードを忘れました',
  'Merci, c’est parfait 👍',
  'I pasted <script>alert("chat")</script> into the search box, is that bad?',
  'First line\nsecond line',
  'ok thanks',
  'Can you send me the link again?',
  'Why is "Premium" & "Basic" on my bill?',
];

/** Agent lines sent as textType html; most carry no markup at all, as in real transcripts. */
export const AGENT_CHAT_LINES = [
  'Hello, thank you for contacting us. How may I help you?',
  'Let me check that for you, one moment please.',
  'I have reset your password; please check your e-mail.',
  'Your order left our warehouse yesterday.',
  'Danke für Ihre Geduld.',
  'Is there anything else I can help you with?',
];

/** Agent lines with markup: shown as HTML source, never rendered. */
export const AGENT_HTML_LINES = [
  'Please read <b>our terms</b> &amp; <a href="https://shop.example/terms">conditions</a>',
  '<p>Step 1: open <i>Settings</i></p><p>Step 2: choose <u>Security</u></p>',
  '<img src=x onerror=alert(1)>Here is the form',
];

export const URL_LINES = ['https://shop.example/help/reset-password', 'https://shop.example/orders?id=B-20417&lang=en'];

export const PRIVATE_CHAT_LINES = ['(note to rep) visitor already called twice today', '(note to rep) do not offer a discount'];

export const PRE_CHAT_QUESTIONS = ['Name', 'Email', 'What is your question about?'] as const;
export const PRE_CHAT_TOPICS = ['Billing', 'My order', 'Login problems', 'Something else'] as const;

export const POST_CHAT_QUESTIONS = [
  { question: 'How was the chat?', answers: ['Great', 'Good', 'OK', 'Poor'] },
  { question: 'Would you recommend us?', answers: ['Yes', 'No', 'Maybe'] },
] as const;

export const OPERATOR_QUESTIONS = [
  { question: 'Was the issue resolved?', answers: ['Yes', 'No', 'Partially'] },
  { question: 'Category', answers: ['Billing', 'Delivery', 'Account', 'Other'] },
] as const;

export const VISITOR_PLACES = [
  { country: 'United States', countryCode: 'US', state: 'California', city: 'San Jose' },
  { country: 'Germany', countryCode: 'DE', state: 'Berlin', city: 'Berlin' },
  { country: 'Japan', countryCode: 'JP', state: 'Tokyo', city: 'Tokyo' },
  { country: '', countryCode: '', state: '', city: '' },
] as const;

export const BROWSERS = ['Chrome 120.0.6099.109', 'Firefox 121.0', 'Safari 17.2', 'Edge 120.0.2210.91'] as const;
export const OPERATING_SYSTEMS = ['WINDOWS', 'MAC_OSX', 'ANDROID', 'IOS'] as const;

/** Start reasons (code, description) from the Engagement History docs. */
export const START_REASONS = [
  ['0', 'Visitor request'],
  ['7', 'Rep request'],
] as const;

/** End reasons (code, description) from the Engagement History docs. */
export const END_REASONS = [
  ['201', 'Rep stopped chat'],
  ['205', 'Visitor disconnected'],
  ['208', 'Visitor was no longer in chat'],
  ['210', 'Visitor closed chat'],
] as const;
