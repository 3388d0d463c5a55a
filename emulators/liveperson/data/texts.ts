/**
 * Sample content of generated conversations. Deliberately mixed: plain English, right-to-left scripts,
 * CJK, emoji with joiners, and text that must be escaped (HTML, quotes) so converters meet it early.
 */

export const CONSUMER_LINES = [
  'Hi, I need help with my order',
  'My parcel has not arrived yet, tracking says it is stuck.',
  'Can you check order #A-77812 please?',
  'مرحبا، أحتاج مساعدة في طلبي',
  'שלום, יש לי שאלה לגבי החשבון שלי',
  '注文の状況を教えてください',
  'Danke schön! 👍',
  'Ça marche 😊 merci beaucoup',
  'Is the family plan 👨‍👩‍👧‍👦 cheaper?',
  'I typed <script>alert("x")</script> in the form and it broke',
  'Line one\nLine two\n\nLine four after a blank line',
  'ok',
  'Thanks, that solved it!',
  'Can I get a refund to my card ending 4242?',
  '¿Pueden llamarme mañana?',
  'Zażółć gęślą jaźń',
  'Why was I charged twice? "Premium" & "Basic" both show up',
];

export const AGENT_LINES = [
  'Hello! Thanks for reaching out, let me take a look.',
  'I can see your order; it left our warehouse yesterday.',
  'I have escalated this to our billing team.',
  'Could you confirm the e-mail address on the account?',
  'Bitte haben Sie einen Moment Geduld.',
  'تم حل المشكلة، شكراً لصبرك',
  'ご不便をおかけして申し訳ありません',
  'Is there anything else I can help you with? 🙂',
  'I will transfer you to a specialist now.',
  'Your refund of €42.50 has been issued.',
];

export const BOT_LINES = [
  "Hi! I'm the virtual assistant. What can I help you with today?",
  'I can help with orders, billing and returns.',
  'Let me connect you with an agent.',
  'Sorry, I did not get that. Could you rephrase?',
];

export const PRIVATE_AGENT_LINES = ['(internal) customer seems upset, handle with care', '(internal) check fraud flag before refund'];

export const CONSUMER_FIRST = [
  'Alex',
  'Maria',
  'José',
  'Zoë',
  'Björn',
  'Aiko',
  'محمد',
  'Noa',
  'Olga',
  'Chen',
  'Fatima',
  'Liam',
  'Élodie',
  'Sipho',
];
export const CONSUMER_LAST = [
  'Smith',
  'García',
  'Okoye',
  'Lindqvist',
  'Yamamoto',
  'الحسن',
  'Cohen',
  'Ivanova',
  'Wang',
  'Nguyen',
  "O'Brien",
  'Dupont',
];

export const SKILLS = [
  { id: 1001, name: 'Sales' },
  { id: 1002, name: 'Billing' },
  { id: 1003, name: 'Returns' },
  { id: 1004, name: 'Technical Support' },
] as const;

export const CHANNELS = ['APP', 'SHARK', 'SMS', 'FACEBOOK', 'WhatsApp Business', 'APPLE_BUSINESS_CHAT'] as const;
export const DEVICES = ['DESKTOP', 'MOBILE', 'TABLET', 'NA'] as const;
export const TIME_ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Asia/Jerusalem', 'UTC'] as const;

export const FILE_TYPES = [
  { ext: 'JPG', name: 'photo.jpg' },
  { ext: 'PNG', name: 'screenshot.png' },
  { ext: 'PDF', name: 'invoice.pdf' },
  { ext: 'GIF', name: 'animation.gif' },
  { ext: 'DOCX', name: 'letter.docx' },
] as const;
