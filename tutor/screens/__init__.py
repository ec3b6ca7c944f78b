"""The screens of the tutor: home, lesson, quiz, help, and the too-small message."""
