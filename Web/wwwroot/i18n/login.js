// Words of the login page.
export default {
  'zh-CN': {
    'login.pageTitle': '登录 · 15分钟服务圈',
    'login.heading': '登录',
    'login.intro': '热线接线员、志愿者和协调员请使用工会分配的账号登录。',
    'login.login': '用户名',
    'login.password': '密码',
    'login.loginPlaceholder': '请输入用户名',
    'login.passwordPlaceholder': '请输入密码',
    'login.submit': '登录',
    'login.submitting': '正在登录…',
    'login.wrongCredentials': '用户名或密码错误',
    'login.required': '请输入用户名和密码',
  },
  en: {
    'login.pageTitle': 'Log in · 15-Minute Service Circle',
    'login.heading': 'Log in',
    'login.intro': 'Hotline operators, volunteers and coordinators: log in with the account the union gave you.',
    'login.login': 'User name',
    'login.password': 'Password',
    'login.loginPlaceholder': 'Your user name',
    'login.passwordPlaceholder': 'Your password',
    'login.submit': 'Log in',
    'login.submitting': 'Logging in…',
    'login.wrongCredentials': 'Wrong user name or password',
    'login.required': 'Enter your user name and password',
  },
};
